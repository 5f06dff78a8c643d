package io.meridian.model;

import java.util.List;
import java.util.Locale;

/**
 * Who governs the venue's risk bounds, carried once by {@code SET_GOVERNANCE} (the venue's genesis: refused once set):
 * the admin addresses, how many of them must approve a proposal, and how long an approved proposal waits before it
 * takes effect. Part of the command log, so a replay knows its governors without a config file.
 *
 * @param admins         the admins' Ethereum addresses, {@code 0x} and 40 hex digits, distinct (case-insensitive),
 *                       1 .. {@value #MAX_ADMINS}
 * @param threshold      M: approvals a proposal needs, 1 .. admins
 * @param timelockMillis how long an approved proposal waits before it takes effect, 0 .. {@value #MAX_TIMELOCK_MILLIS}
 */
public record GovernanceSpec(List<String> admins, int threshold, long timelockMillis) {
    public static final int MAX_ADMINS = 16;
    /** Thirty days. */
    public static final long MAX_TIMELOCK_MILLIS = 30L * 86_400_000L;

    /** Copies the list, which may be null (refused by {@link #problem()}, so that a journal holding one decodes). */
    public GovernanceSpec {
        admins = admins == null ? null : List.copyOf(admins);
    }

    /** Null when usable, else what is wrong. */
    public String problem() {
        if (admins == null || admins.isEmpty() || admins.size() > MAX_ADMINS) {
            return "1 .. " + MAX_ADMINS + " admins are required";
        }
        if (admins.stream().map(a -> a.toLowerCase(Locale.ROOT)).distinct().count() != admins.size()) {
            return "an admin is named twice";
        }
        for (String admin : admins) {
            if (!admin.matches("0x[0-9a-fA-F]{40}")) {
                return "not an address: " + admin;
            }
        }
        if (threshold < 1 || threshold > admins.size()) {
            return "the threshold must be 1 .. the number of admins";
        }
        if (timelockMillis < 0 || timelockMillis > MAX_TIMELOCK_MILLIS) {
            return "the timelock must be 0 .. " + MAX_TIMELOCK_MILLIS + " ms";
        }
        return null;
    }
}
