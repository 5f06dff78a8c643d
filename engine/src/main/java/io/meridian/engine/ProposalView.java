package io.meridian.engine;

import io.meridian.model.RiskBounds;

import java.util.List;

/**
 * An open governance proposal ({@link EngineView#proposals}).
 *
 * @param id         its id: the sequence of its PROPOSE_RISK_BOUNDS
 * @param instrument the instrument whose bounds it sets
 * @param bounds     the bounds it sets
 * @param createdAt  when it was proposed (command clock ns); a pending proposal expires a week later
 * @param approvals  the admins that approved it, in order (lower-case hex)
 * @param eta        when it takes effect once it has its approvals (command clock ns); 0 while pending
 */
public record ProposalView(long id, int instrument, RiskBounds bounds, long createdAt, List<String> approvals,
                           long eta) {
    public ProposalView {
        approvals = List.copyOf(approvals);
    }
}
