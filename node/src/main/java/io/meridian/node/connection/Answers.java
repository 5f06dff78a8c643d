package io.meridian.node.connection;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** The gateway's error shape, {@code {"code": <int>, "message": "..."}}, for the refusals of this package. */
final class Answers {
    private Answers() {
    }

    /**
     * An error answer; with {@code close} it says {@code Connection: close} (the caller closes after writing it).
     * {@code message} is the package's own text, with any client text already bounded ({@link Hosts#bounded}).
     */
    static FullHttpResponse error(HttpResponseStatus status, int code, String message, boolean close) {
        StringBuilder json = new StringBuilder(message.length() + 32).append("{\"code\":").append(code)
                .append(",\"message\":\"");
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 32) {
                json.append(' ');
            } else {
                json.append(c);
            }
        }
        byte[] body = json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, close ? HttpHeaderValues.CLOSE : HttpHeaderValues.KEEP_ALIVE);
        return response;
    }
}
