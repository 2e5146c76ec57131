package io.livehub.webrtc.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One STUN message (RFC 8489 section 5): a type, a 96-bit transaction id and its attributes
 * in wire order. Decoded messages also keep their bytes, so that
 * {@link StunDecoder#checkIntegrity} can check MESSAGE-INTEGRITY over exactly what was sent.
 *
 * <p>Thread-safety: immutable.
 */
public final class StunMessage {

    /** The fixed magic cookie of RFC 8489 section 5. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** The header's length in bytes. */
    public static final int HEADER_LENGTH = 20;
    /** Binding request (method 0x001, class request). */
    public static final int BINDING_REQUEST = 0x0001;
    /** Binding indication (a keepalive, RFC 8445 section 11). */
    public static final int BINDING_INDICATION = 0x0011;
    /** Binding success response. */
    public static final int BINDING_SUCCESS = 0x0101;
    /** Binding error response. */
    public static final int BINDING_ERROR = 0x0111;

    private final int type;
    private final byte[] transactionId;
    private final List<StunAttribute> attributes;
    private final byte[] raw;
    private final int integrityOffset;

    StunMessage(int type, byte[] transactionId, List<StunAttribute> attributes, byte[] raw, int integrityOffset) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("a transaction id has 12 bytes, not " + transactionId.length);
        }
        this.type = type;
        this.transactionId = transactionId.clone();
        this.attributes = List.copyOf(attributes);
        this.raw = raw;
        this.integrityOffset = integrityOffset;
    }

    /** Makes a message to encode; {@code transactionId} (12 bytes) is copied. */
    public static StunMessage of(int type, byte[] transactionId, List<StunAttribute> attributes) {
        return new StunMessage(type, transactionId, attributes, null, -1);
    }

    /** Returns the 14-bit message type (method and class). */
    public int type() {
        return type;
    }

    /** Returns a copy of the 12-byte transaction id. */
    public byte[] transactionId() {
        return transactionId.clone();
    }

    byte[] transactionIdUnsafe() {
        return transactionId;
    }

    public List<StunAttribute> attributes() {
        return attributes;
    }

    /** Returns the first attribute of this type, or null. */
    public StunAttribute attribute(int attributeType) {
        for (StunAttribute a : attributes) {
            if (a.type() == attributeType) {
                return a;
            }
        }
        return null;
    }

    /** Returns whether the message had a MESSAGE-INTEGRITY attribute. */
    public boolean hasIntegrity() {
        return integrityOffset >= 0;
    }

    int integrityOffset() {
        return integrityOffset;
    }

    byte[] raw() {
        return raw;
    }

    /** Returns USERNAME as UTF-8 text (RFC 8489 section 14.3), or null. */
    public String username() {
        StunAttribute a = attribute(StunAttribute.USERNAME);
        return a == null ? null : new String(a.valueUnsafe(), StandardCharsets.UTF_8);
    }

    /** Returns PRIORITY (RFC 8445 section 7.1.1), or -1 when absent or not 4 bytes. */
    public long priority() {
        StunAttribute a = attribute(StunAttribute.PRIORITY);
        if (a == null || a.length() != 4) {
            return -1;
        }
        byte[] v = a.valueUnsafe();
        return ((v[0] & 0xFFL) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF);
    }

    /** Returns whether USE-CANDIDATE (RFC 8445 section 7.1.2) is present. */
    public boolean useCandidate() {
        return attribute(StunAttribute.USE_CANDIDATE) != null;
    }

    /** Returns whether ICE-CONTROLLING (RFC 8445 section 7.1.3) is present. */
    public boolean iceControlling() {
        return attribute(StunAttribute.ICE_CONTROLLING) != null;
    }

    /** Returns whether ICE-CONTROLLED (RFC 8445 section 7.1.3) is present. */
    public boolean iceControlled() {
        return attribute(StunAttribute.ICE_CONTROLLED) != null;
    }

    /** Returns the tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED, or 0 when neither is there. */
    public long tieBreaker() {
        StunAttribute a = attribute(StunAttribute.ICE_CONTROLLING);
        if (a == null) {
            a = attribute(StunAttribute.ICE_CONTROLLED);
        }
        if (a == null || a.length() != 8) {
            return 0;
        }
        long v = 0;
        for (byte b : a.valueUnsafe()) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    /**
     * Returns XOR-MAPPED-ADDRESS decoded (RFC 8489 section 14.2), or null when absent or
     * malformed.
     */
    public InetSocketAddress xorMappedAddress() {
        StunAttribute a = attribute(StunAttribute.XOR_MAPPED_ADDRESS);
        if (a == null || a.length() < 8) {
            return null;
        }
        byte[] v = a.valueUnsafe();
        int family = v[1] & 0xFF;
        int port = (((v[2] & 0xFF) << 8) | (v[3] & 0xFF)) ^ (MAGIC_COOKIE >>> 16);
        int n = family == 1 ? 4 : family == 2 ? 16 : -1;
        if (n < 0 || a.length() != 4 + n) {
            return null;
        }
        byte[] mask = xorMask();
        byte[] addr = new byte[n];
        for (int i = 0; i < n; i++) {
            addr[i] = (byte) (v[4 + i] ^ mask[i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Makes the XOR-MAPPED-ADDRESS attribute for {@code address} and this transaction. */
    public static StunAttribute xorMappedAddress(InetSocketAddress address, byte[] transactionId) {
        byte[] addr = address.getAddress().getAddress();
        byte[] v = new byte[4 + addr.length];
        v[1] = (byte) (addr.length == 4 ? 1 : 2);
        int port = address.getPort() ^ (MAGIC_COOKIE >>> 16);
        v[2] = (byte) (port >>> 8);
        v[3] = (byte) port;
        byte[] mask = xorMask(transactionId);
        for (int i = 0; i < addr.length; i++) {
            v[4 + i] = (byte) (addr[i] ^ mask[i]);
        }
        return new StunAttribute(StunAttribute.XOR_MAPPED_ADDRESS, v);
    }

    private byte[] xorMask() {
        return xorMask(transactionId);
    }

    /** The magic cookie followed by the transaction id: what an address is XORed with. */
    private static byte[] xorMask(byte[] transactionId) {
        byte[] mask = new byte[16];
        mask[0] = (byte) (MAGIC_COOKIE >>> 24);
        mask[1] = (byte) (MAGIC_COOKIE >>> 16);
        mask[2] = (byte) (MAGIC_COOKIE >>> 8);
        mask[3] = (byte) MAGIC_COOKIE;
        System.arraycopy(transactionId, 0, mask, 4, 12);
        return mask;
    }

    /** Returns a builder of a message with this type and transaction id. */
    public static Builder builder(int type, byte[] transactionId) {
        return new Builder(type, transactionId);
    }

    @Override
    public String toString() {
        return String.format("StunMessage[0x%04x tx=%s %s]", type, java.util.HexFormat.of().formatHex(transactionId),
                attributes);
    }

    /** Collects the attributes of a message to encode. */
    public static final class Builder {
        private final int type;
        private final byte[] transactionId;
        private final List<StunAttribute> attributes = new ArrayList<>();

        private Builder(int type, byte[] transactionId) {
            this.type = type;
            this.transactionId = Arrays.copyOf(transactionId, transactionId.length);
        }

        public Builder add(StunAttribute attribute) {
            attributes.add(attribute);
            return this;
        }

        public Builder add(int type, byte[] value) {
            return add(new StunAttribute(type, value));
        }

        public StunMessage build() {
            return of(type, transactionId, attributes);
        }
    }
}
