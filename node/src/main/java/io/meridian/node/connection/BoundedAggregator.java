package io.meridian.node.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator of a request and its body, except that it never answers on its own, so that every final answer
 * leaves in request order through {@link InOrderAnswers}:
 * <ul>
 *   <li>a body over the limit becomes a failed request ({@link BodyTooLarge}) in its place in the sequence, which
 *       {@link RequestHygiene} answers 413 and closes (Netty wrote its 413 at once, ahead of answers owed before);</li>
 *   <li>{@code 100 Continue} is sent only when no earlier answer is owed (otherwise the client sends its body after
 *       its own wait, as RFC 9110 10.1.1 allows); an expectation other than 100-continue is ignored (a server MAY
 *       answer it 417; Netty did, out of order).</li>
 * </ul>
 * One instance per connection, confined to its I/O thread.
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private final int maxBodyBytes;

    BoundedAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (!HttpUtil.is100ContinueExpected(start) || HttpUtil.getContentLength(start, -1L) > maxContentLength) {
            return null;
        }
        InOrderAnswers answers = pipeline.get(InOrderAnswers.class);
        if (answers != null && !answers.idle()) {
            return null;
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // The aggregator releases `oversized` and discards the rest of its body; a stand-in takes its place.
        HttpRequest request = oversized instanceof HttpRequest r ? r : null;
        FullHttpRequest standIn = new DefaultFullHttpRequest(oversized.protocolVersion(),
                request == null ? HttpMethod.POST : request.method(), request == null ? "/" : request.uri(),
                Unpooled.EMPTY_BUFFER);
        standIn.setDecoderResult(DecoderResult.failure(new BodyTooLarge(maxBodyBytes)));
        ctx.fireChannelRead(standIn);
    }

    /** A request body over {@code maxBodyBytes}: refused 413 with the limit named. */
    static final class BodyTooLarge extends TooLongFrameException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge(int maxBodyBytes) {
            super("request body too large: at most " + maxBodyBytes + " bytes");
        }
    }
}
