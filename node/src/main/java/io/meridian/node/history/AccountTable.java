package io.meridian.node.history;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The accounts of a history, each with its records, in the order they were last changed: a primitive map (no boxing)
 * and an intrusive list, so finding an account, marking it changed and dropping the one changed longest ago are O(1)
 * and allocate nothing but a new account's node. Reads ({@link #peek}) do not change the order. Engine thread only.
 *
 * @param <T> an account's records
 */
final class AccountTable<T> {
    /** One account: its records and its place in the order. */
    private static final class Node<T> {
        final long account;
        final T records;
        Node<T> older;
        Node<T> newer;

        Node(long account, T records) {
            this.account = account;
            this.records = records;
        }
    }

    private final Long2ObjectHashMap<Node<T>> byAccount = new Long2ObjectHashMap<>();
    /** Changed longest ago. */
    private Node<T> oldest;
    /** Changed last. */
    private Node<T> newest;

    /** The account's records, now the most recently changed; null when the table has none. */
    T touch(long account) {
        Node<T> node = byAccount.get(account);
        if (node == null) {
            return null;
        }
        if (node != newest) {
            unlink(node);
            append(node);
        }
        return node.records;
    }

    /** The account's records without changing the order (a read); null when none. */
    T peek(long account) {
        Node<T> node = byAccount.get(account);
        return node == null ? null : node.records;
    }

    /** Adds an account (not in the table) with its records, as the most recently changed. */
    void add(long account, T records) {
        Node<T> node = new Node<>(account, records);
        byAccount.put(account, node);
        append(node);
    }

    /** The account changed longest ago (the table must not be empty). */
    long oldestAccount() {
        return oldest.account;
    }

    /** Removes the account changed longest ago and returns its records. */
    T removeOldest() {
        Node<T> node = oldest;
        unlink(node);
        byAccount.remove(node.account);
        return node.records;
    }

    int size() {
        return byAccount.size();
    }

    private void append(Node<T> node) {
        node.older = newest;
        node.newer = null;
        if (newest != null) {
            newest.newer = node;
        }
        newest = node;
        if (oldest == null) {
            oldest = node;
        }
    }

    private void unlink(Node<T> node) {
        if (node.older != null) {
            node.older.newer = node.newer;
        } else {
            oldest = node.newer;
        }
        if (node.newer != null) {
            node.newer.older = node.older;
        } else {
            newest = node.older;
        }
        node.older = null;
        node.newer = null;
    }
}
