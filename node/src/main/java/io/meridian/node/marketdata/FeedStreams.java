package io.meridian.node.marketdata;

import java.util.ArrayList;

/**
 * The publisher's streams ({@link Publisher}): what each holds between fan-outs. A {@link Stream} frames its messages
 * into one buffer shared by its members; a book stream has one {@link Group} per subscribed depth (its members share
 * every message, deltas included) and the book's {@link BookWindows}; a {@link ChannelStream} carries one trades,
 * ticker, funding or liquidations channel of an instrument and keeps the ticker's or predicted funding's last message;
 * an {@link AccountStream} one account's private messages. Publisher thread only.
 */
final class FeedStreams {
    private FeedStreams() {
    }

    abstract static class Stream {
        final JsonBytes chunk = new JsonBytes(1024);
        final ArrayList<Subscriber> members = new ArrayList<>();
        boolean touched;
    }

    /** The members of a book stream at one depth: they share every message, deltas included. */
    static final class Group extends Stream {
        final int depth;
        /** The {@code last} of the group's previous message (delta or snapshot). */
        long lastSent;

        Group(int depth, long lastSent) {
            this.depth = depth;
            this.lastSent = lastSent;
        }
    }

    static final class BookStream {
        final int instrument;
        final FeedFormats.Instrument format;
        final BookWindows windows = new BookWindows();
        /** Ascending by depth. */
        final ArrayList<Group> groups = new ArrayList<>();
        boolean inCommand;
        /** The l2 sequence of the last level change seen. */
        long last;

        BookStream(int instrument, FeedFormats.Instrument format) {
            this.instrument = instrument;
            this.format = format;
        }

        Group groupOf(Subscriber s) {
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i).members.contains(s)) {
                    return groups.get(i);
                }
            }
            return null;
        }

        Group group(int depth) {
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i).depth == depth) {
                    return groups.get(i);
                }
            }
            return null;
        }

        int[] depths() {
            int[] depths = new int[groups.size()];
            for (int i = 0; i < depths.length; i++) {
                depths[i] = groups.get(i).depth;
            }
            return depths;
        }
    }

    static final class ChannelStream extends Stream {
        final int channel;
        final int instrument;
        final FeedFormats.Instrument format;
        /** The ticker's or the predicted funding's last message (to repeat after a resync), or empty. */
        final JsonBytes state = new JsonBytes(256);

        ChannelStream(int channel, int instrument, FeedFormats.Instrument format) {
            this.channel = channel;
            this.instrument = instrument;
            this.format = format;
        }
    }

    static final class AccountStream extends Stream {
        final long account;

        AccountStream(long account) {
            this.account = account;
        }
    }
}
