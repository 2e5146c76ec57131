package io.livehub.srt.handshake;

import io.livehub.media.MalformedMediaException;
import io.livehub.srt.packet.SrtControlPacket;
import io.livehub.srt.packet.SrtControlType;
import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A handshake control packet (draft-sharabayko-srt section 3.2.1): the 48-byte handshake
 * CIF followed, in an HSv5 conclusion, by extension blocks.
 *
 * <p>The peer IP address field holds 16 bytes written as libsrt writes them: the address
 * bytes of each 32-bit word reversed, so IPv4 {@code 127.0.0.1} appears as
 * {@code 01 00 00 7f} followed by twelve zero bytes.
 *
 * @param version             4 in a caller's induction, 5 otherwise
 * @param encryptionField     the advertised key length / 8 (2, 3, 4) or 0
 * @param extensionField      {@link SrtHsFlags#UDT_DGRAM} (induction request),
 *                            {@link SrtHsFlags#SRT_MAGIC} (induction response) or the
 *                            {@code EXT_*} bits of a conclusion
 * @param initialSequence     the initial packet sequence number
 * @param mtu                 the maximum transmission unit, bytes
 * @param flowWindow          the maximum flow window, packets
 * @param type                one of {@link SrtHandshakeType}, or a rejection
 * @param socketId            the sender's socket id
 * @param synCookie           the SYN cookie, 0 until the listener issued one
 * @param peerAddress         the address of the packet's recipient as the sender sees it, or null for none
 * @param extensions          the extension blocks, in wire order
 * @param timestamp           the header timestamp
 * @param destinationSocketId the header destination socket id
 */
public record SrtHandshake(int version, int encryptionField, int extensionField, int initialSequence, int mtu,
                           int flowWindow, int type, int socketId, int synCookie, InetAddress peerAddress,
                           List<SrtHandshakeExtension> extensions, int timestamp, int destinationSocketId)
        implements SrtControlPacket {

    /** The CIF length without extensions. */
    public static final int CIF_LENGTH = 48;
    /** The most extension blocks read from one handshake. */
    public static final int MAX_EXTENSIONS = 16;

    public SrtHandshake {
        extensions = List.copyOf(extensions);
        if ((encryptionField & ~0xFFFF) != 0 || (extensionField & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("encryption and extension fields are 16 bits");
        }
    }

    @Override
    public int controlType() {
        return SrtControlType.HANDSHAKE;
    }

    /** Returns the first extension of {@code extType}, or null. */
    public SrtHandshakeExtension extension(int extType) {
        for (SrtHandshakeExtension e : extensions) {
            if (e.type() == extType) {
                return e;
            }
        }
        return null;
    }

    /** Returns the stream id of the SID extension, or null when there is none. */
    public String streamId() {
        SrtHandshakeExtension e = extension(SrtHandshakeExtension.SID);
        return e == null ? null : SrtStreamIdExtension.decode(e);
    }

    /** Returns a copy with a different type, destination and extensions (for answers). */
    public SrtHandshake withTypeAndExtensions(int newType, List<SrtHandshakeExtension> newExtensions) {
        return new SrtHandshake(version, encryptionField, extensionField, initialSequence, mtu, flowWindow, newType,
                socketId, synCookie, peerAddress, newExtensions, timestamp, destinationSocketId);
    }

    /** Returns the length of the CIF that {@link #encodeCif} writes. */
    public int cifLength() {
        int n = CIF_LENGTH;
        for (SrtHandshakeExtension e : extensions) {
            n += 4 + e.length();
        }
        return n;
    }

    /** Writes the CIF (the handshake fields and extension blocks) to {@code out}. */
    public void encodeCif(ByteBuf out) {
        out.writeInt(version);
        out.writeShort(encryptionField);
        out.writeShort(extensionField);
        out.writeInt(initialSequence);
        out.writeInt(mtu);
        out.writeInt(flowWindow);
        out.writeInt(type);
        out.writeInt(socketId);
        out.writeInt(synCookie);
        byte[] ip = peerAddress == null ? new byte[0] : peerAddress.getAddress();
        byte[] field = new byte[16];
        for (int i = 0; i < ip.length; i++) {
            field[(i & ~3) + 3 - (i & 3)] = ip[i];
        }
        out.writeBytes(field);
        for (SrtHandshakeExtension e : extensions) {
            out.writeShort(e.type());
            out.writeShort(e.length() / 4);
            out.writeBytes(e.contentUnsafe());
        }
    }

    /**
     * Reads a handshake CIF from the readable bytes of {@code cif}.
     *
     * <p>Ownership: {@code cif} is borrowed; nothing is retained.
     *
     * @throws MalformedMediaException when the CIF is short, an extension runs past the end, or
     *         there are more than {@link #MAX_EXTENSIONS} extensions
     */
    public static SrtHandshake decodeCif(ByteBuf cif, int timestamp, int destinationSocketId) {
        if (cif.readableBytes() < CIF_LENGTH) {
            throw new MalformedMediaException("SRT handshake of " + cif.readableBytes() + " bytes, needs "
                    + CIF_LENGTH);
        }
        int version = cif.readInt();
        int enc = cif.readUnsignedShort();
        int ext = cif.readUnsignedShort();
        int isn = cif.readInt();
        int mtu = cif.readInt();
        int window = cif.readInt();
        int type = cif.readInt();
        int socketId = cif.readInt();
        int cookie = cif.readInt();
        byte[] field = new byte[16];
        cif.readBytes(field);
        InetAddress peer = peerAddress(field);
        List<SrtHandshakeExtension> exts = new ArrayList<>(2);
        while (cif.readableBytes() >= 4) {
            if (exts.size() == MAX_EXTENSIONS) {
                throw new MalformedMediaException("SRT handshake has more than " + MAX_EXTENSIONS + " extensions");
            }
            int extType = cif.readUnsignedShort();
            int words = cif.readUnsignedShort();
            if (words * 4 > cif.readableBytes()) {
                throw new MalformedMediaException("SRT handshake extension " + extType + " of " + words
                        + " words runs past the packet (" + cif.readableBytes() + " bytes left)");
            }
            byte[] content = new byte[words * 4];
            cif.readBytes(content);
            exts.add(new SrtHandshakeExtension(extType, content));
        }
        // A trailing partial word is padding at worst; libsrt never sends one.
        cif.skipBytes(cif.readableBytes());
        return new SrtHandshake(version, enc, ext, isn, mtu, window, type, socketId, cookie, peer, exts,
                timestamp, destinationSocketId);
    }

    private static InetAddress peerAddress(byte[] field) {
        byte[] ip = new byte[16];
        for (int i = 0; i < 16; i++) {
            ip[i] = field[(i & ~3) + 3 - (i & 3)];
        }
        boolean v4 = true;
        for (int i = 4; i < 16; i++) {
            v4 &= ip[i] == 0;
        }
        try {
            return InetAddress.getByAddress(v4 ? java.util.Arrays.copyOf(ip, 4) : ip);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // lengths 4 and 16 are always valid
        }
    }

    /** Returns whether the peer address field named an IPv4 address. */
    public boolean isPeerIpv4() {
        return peerAddress instanceof Inet4Address;
    }

    @Override
    public String toString() {
        return "SrtHandshake[" + SrtHandshakeType.name(type) + ", v" + version + ", enc=" + encryptionField
                + ", ext=0x" + Integer.toHexString(extensionField) + ", isn=" + initialSequence + ", mtu=" + mtu
                + ", window=" + flowWindow + ", socket=" + Integer.toHexString(socketId) + ", cookie="
                + Integer.toHexString(synCookie) + ", dst=" + Integer.toHexString(destinationSocketId)
                + ", extensions=" + extensions + "]";
    }
}
