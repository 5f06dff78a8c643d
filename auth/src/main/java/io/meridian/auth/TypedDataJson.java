package io.meridian.auth;

import java.util.List;
import java.util.Map;

/**
 * The {@code eth_signTypedData_v4} request for a Meridian message: the JSON an external wallet (MetaMask, a hardware
 * wallet, ethers' {@code signTypedData}) is given to sign. The wallet computes the same digest as
 * {@link TypedMessage#digest(Eip712Domain)} and returns the 65-byte {@code r || s || v} signature.
 *
 * <p>Integers are printed as decimal strings, because JavaScript numbers lose precision above 2^53 and wallets accept
 * strings for {@code uintN}; the chain id is a plain number, as wallets compare it with the connected chain. Addresses
 * are printed in EIP-55 form, {@code bytes32} as {@code 0x} hex. Stateless and thread-safe.
 */
public final class TypedDataJson {

    private TypedDataJson() {
    }

    /** The request as one line of JSON, members in struct order. */
    public static String of(Eip712Domain domain, TypedMessage message) {
        StringBuilder out = new StringBuilder(1024);
        out.append("{\"types\":{\"EIP712Domain\":");
        appendMembers(out, domain.members());
        out.append(",\"").append(message.primaryType()).append("\":");
        appendMembers(out, MeridianTypes.TYPES.members(message.primaryType()));
        out.append("},\"primaryType\":\"").append(message.primaryType()).append("\",\"domain\":{");
        boolean first = true;
        for (Eip712Types.Member member : domain.members()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(member.name()).append("\":");
            switch (member.name()) {
                case "name":
                    appendString(out, domain.name());
                    break;
                case "version":
                    appendString(out, domain.version());
                    break;
                case "chainId":
                    out.append(domain.chainId());
                    break;
                case "verifyingContract":
                    appendString(out, domain.verifyingContract().toChecksumHex());
                    break;
                default:
                    appendString(out, Hex.encode0x(domain.salt()));
                    break;
            }
        }
        out.append("},\"message\":{");
        first = true;
        for (Map.Entry<String, Object> field : message.message().entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(field.getKey()).append("\":");
            appendValue(out, field.getValue());
        }
        return out.append("}}").toString();
    }

    private static void appendMembers(StringBuilder out, List<Eip712Types.Member> members) {
        out.append('[');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"name\":\"").append(members.get(i).name()).append("\",\"type\":\"")
                    .append(members.get(i).type()).append("\"}");
        }
        out.append(']');
    }

    private static void appendValue(StringBuilder out, Object value) {
        if (value instanceof Address address) {
            appendString(out, address.toChecksumHex());
        } else if (value instanceof byte[] bytes) {
            appendString(out, Hex.encode0x(bytes));
        } else if (value instanceof Boolean bool) {
            out.append(bool.booleanValue());
        } else {
            // Integers (BigInteger, Integer) as decimal strings; strings as themselves.
            appendString(out, value.toString());
        }
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                    break;
            }
        }
        out.append('"');
    }
}
