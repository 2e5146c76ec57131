package io.livehub.rtmp.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Checks lengths against what is readable and limits, and reads UTF-8, for both AMF versions. */
final class AmfBytes {

    private AmfBytes() {
    }

    static void need(ByteBuf in, long n, String what) {
        if (in.readableBytes() < n) {
            throw new AmfException("truncated " + what + ": need " + n + " bytes, " + in.readableBytes() + " left");
        }
    }

    static String readUtf8(ByteBuf in, long length, AmfLimits limits, String what) {
        if (length > limits.maxStringLength()) {
            throw new AmfException(what + " of " + length + " bytes exceeds the limit of " + limits.maxStringLength());
        }
        need(in, length, what);
        int n = (int) length;
        if (n == 0) {
            return "";
        }
        String s = in.toString(in.readerIndex(), n, StandardCharsets.UTF_8);
        in.skipBytes(n);
        return s;
    }

    static void checkDepth(int depth, AmfLimits limits) {
        if (depth > limits.maxDepth()) {
            throw new AmfException("AMF nesting deeper than " + limits.maxDepth());
        }
    }

    static void checkElements(long count, AmfLimits limits, String what) {
        if (count > limits.maxElements()) {
            throw new AmfException(what + " with " + count + " elements exceeds the limit of " + limits.maxElements());
        }
    }
}
