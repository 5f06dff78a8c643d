package io.meridian.node.codec;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule of the gateway's codes (issue 21, docs/api.md "Conventions"): a code that is an HTTP status code is the
 * HTTP status of every answer that carries it; every other code lies in a range IANA assigns no status (440-449,
 * 460-469, 540-549), so a client switching on {@code code} never takes a bad field for an auth failure (BAD_FIELD was
 * 401, in HTTP 400 answers) or a stopped engine for a gateway timeout (NOT_READY was 504, in HTTP 503 answers). The
 * first half is checked over the node's source: every place that pairs a status with a {@link Codes} constant.
 */
class CodesTest {
    /** The HTTP status codes IANA's registry assigns (RFC 9110 and later), 418 and 509 excluded as unassigned. */
    private static final Set<Integer> IANA = Set.of(100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208,
            226, 300, 301, 302, 303, 304, 305, 306, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411,
            412, 413, 414, 415, 416, 417, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505,
            506, 507, 508, 510, 511);
    /** A status and a constant paired where an answer is made: a RequestException, a Refusal or a sent error body. */
    private static final Pattern PAIRED = Pattern.compile(
            "(?:new RequestException|new Refusal|send)\\((\\d{3}),\\s*(?:Json\\.error\\()?"
                    + "(?:io\\.meridian\\.node\\.codec\\.)?Codes\\.([A-Z_]+)");

    private static Map<String, Integer> codes() throws IllegalAccessException {
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (Field field : Codes.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                codes.put(field.getName(), field.getInt(null));
            }
        }
        return codes;
    }

    @Test
    void everyCodeIsItsStatusOrOutsideEveryStatus() throws Exception {
        Map<String, Integer> codes = codes();
        assertEquals(460, codes.get("BAD_FIELD"), "the wire value clients switch on");
        assertEquals(540, codes.get("NOT_READY"), "the wire value clients switch on");
        assertEquals(codes.size(), Set.copyOf(codes.values()).size(), "codes are distinct: " + codes);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Integer> code : codes.entrySet()) {
            int c = code.getValue();
            boolean reserved = c >= 440 && c <= 449 || c >= 460 && c <= 469 || c >= 540 && c <= 549;
            if (!IANA.contains(c) && !reserved) {
                wrong.add(code + ": neither an HTTP status nor in a reserved range");
            }
            if (reserved && IANA.contains(c)) {
                wrong.add(code + ": a reserved range met an HTTP status");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyAnswerCarryingAStatusCodeHasThatStatus() throws IOException, IllegalAccessException {
        Map<String, Integer> codes = codes();
        List<String> wrong = new ArrayList<>();
        int pairs = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = PAIRED.matcher(Files.readString(file));
                while (m.find()) {
                    pairs++;
                    int status = Integer.parseInt(m.group(1));
                    Integer code = codes.get(m.group(2));
                    assertTrue(code != null, file + ": no code " + m.group(2));
                    if (IANA.contains(code) && code != status) {
                        wrong.add(file.getFileName() + ": HTTP " + status + " carries code " + m.group(2) + " = " + code);
                    }
                }
            }
        }
        assertTrue(pairs >= 15, "the scan found the pairs (" + pairs + ")");
        assertEquals(List.of(), wrong);
    }
}
