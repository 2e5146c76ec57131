package io.livehub.net;

/**
 * Caps on concurrent connections: per remote address and in total. Immutable.
 *
 * <p>Why both: a total cap bounds the descriptors and memory a server can be made to hold;
 * a per-address cap keeps one host (a slowloris, a broken reconnect loop) from taking the
 * whole total, so other clients still get in. Players behind one NAT share an address, so the
 * per-address cap must stay well above what one household or office opens; each protocol
 * documents its defaults.
 *
 * @param perAddress connections one remote IP address may hold open, at least 1
 * @param total      connections the server holds open in all, at least 1
 */
public record ConnectionLimits(int perAddress, int total) {

    /** Checks the ranges. */
    public ConnectionLimits {
        if (perAddress < 1 || total < 1) {
            throw new IllegalArgumentException("connection limits must be >= 1: perAddress " + perAddress
                    + ", total " + total);
        }
    }

    /** Returns caps of {@code perAddress} per address and {@code total} in all. */
    public static ConnectionLimits of(int perAddress, int total) {
        return new ConnectionLimits(perAddress, total);
    }
}
