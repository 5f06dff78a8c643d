package io.meridian.node;

import io.meridian.node.NodeConfig.Index;
import io.meridian.node.NodeConfig.Markets;
import io.meridian.node.NodeConfig.OptionChain;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/** The built-in demo venue's option markets ({@link NodeConfig#defaults()}), split out of NodeConfig; stateless. */
final class DemoVenue {
    private DemoVenue() {
    }

    /**
     * The demo venue's markets as of {@code now}: the index BTC-USD (2 decimals, sources feed-a, feed-b and feed-c) and
     * BTC options on it, USDC-settled (premium tick 0.5, lot 0.01 contracts of 1 BTC) at the strikes
     * {@link NodeConfig#DEFAULT_STRIKES}, calls and puts, for the next {@link NodeConfig#DEFAULT_EXPIRIES} monthly
     * expiries (Deribit's: the last Friday of the month, 08:00 UTC) at least a day after {@code now}.
     *
     * <p>A config holds absolute expiries, so a built-in venue must pick them from the clock, and a restart on the same
     * data directory must find the series it listed before unchanged (the journal has them; the node refuses a
     * configured series whose terms changed). Hence one chain per expiry, its ids taken from the expiry's calendar
     * month ({@code 100 + 10 x (month - 1)}, 100..219): a restart within the month lists exactly the same series; a
     * later one adds the new month's series under new ids beside the old ones, which have expired by then. The day's
     * margin keeps a series from expiring between the clock read here and its listing. The ids come round again after
     * a year, and three months are listed ahead: a journal last started about nine months or more before meets ids of
     * its own series under new expiries, and is refused at start with the reason.
     */
    static Markets markets(Instant now) {
        int btc = NodeConfig.DEFAULT_BTC_INDEX;
        List<String> strikes = NodeConfig.DEFAULT_STRIKES;
        List<OptionChain> chains = new ArrayList<>();
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        while (chains.size() < NodeConfig.DEFAULT_EXPIRIES) {
            LocalDate lastFriday = month.atEndOfMonth().with(TemporalAdjusters.previousOrSame(DayOfWeek.FRIDAY));
            Instant expiry = lastFriday.atTime(8, 0).toInstant(ZoneOffset.UTC);
            if (expiry.isAfter(now.plus(Duration.ofDays(1)))) {
                chains.add(new OptionChain("BTC", btc, "USDC", "0.5", "0.01", "1", List.of(expiry.toString()),
                        strikes, null, null, null, 100 + 2 * strikes.size() * (month.getMonthValue() - 1)));
            }
            month = month.plusMonths(1);
        }
        return new Markets(List.of(new Index(btc, "BTC-USD", 2, List.of("feed-a", "feed-b", "feed-c"))), chains);
    }
}
