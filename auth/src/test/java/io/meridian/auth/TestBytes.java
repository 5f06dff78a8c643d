package io.meridian.auth;

/** Byte helpers for tests. */
final class TestBytes {

    private TestBytes() {
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }

    static byte[] flipBit(byte[] in, int bit) {
        byte[] out = in.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }
}
