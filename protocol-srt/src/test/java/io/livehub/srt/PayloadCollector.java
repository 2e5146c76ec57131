package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Test helper: a connection handler that keeps every payload as a byte array. */
public final class PayloadCollector implements SrtConnectionHandler {

    public final List<byte[]> payloads = new CopyOnWriteArrayList<>();
    public final List<String> closed = new CopyOnWriteArrayList<>();
    public volatile SrtConnection connection;

    @Override
    public void onConnected(SrtConnection c) {
        connection = c;
    }

    @Override
    public void onPayload(SrtConnection c, ByteBuf payload) {
        byte[] b = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), b);
        payloads.add(b);
    }

    @Override
    public void onClosed(SrtConnection c, String reason) {
        closed.add(reason);
    }

    /** Makes a recognisable payload: its index in the first four bytes, then a pattern. */
    public static byte[] payload(int index, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (index * 31 + i);
        }
        b[0] = (byte) (index >>> 24);
        b[1] = (byte) (index >>> 16);
        b[2] = (byte) (index >>> 8);
        b[3] = (byte) index;
        return b;
    }

    public static int indexOf(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    public static void await(BooleanSupplier cond, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not met in " + millis + " ms");
            Thread.sleep(10);
        }
    }
}
