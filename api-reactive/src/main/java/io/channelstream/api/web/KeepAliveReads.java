package io.channelstream.api.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Keeps a kept-alive HTTP/1.1 connection read after every answer. Reactor Netty reads a server connection on
 * demand (auto-read off) and asks for the next read itself once an answer ends. Reactor Netty 1.3.6 (what Spring Boot
 * 4.1.0 brings) forgets to when a request that arrived before the previous one had finished is then answered
 * synchronously (an answer from memory: a cached trace view, a stock read from the local store): the queue of early
 * requests drains without anyone asking for a read, so the client's next request stays unread in the socket and the
 * client waits for ever; nothing times it out (reactor-netty issue 4361, fixed in 1.3.8, which needs a Netty whose
 * native jars the registry here lacks). This asks for one read after each answer's last part, once the event loop has
 * run what that answer scheduled. A read asked for while one is pending changes nothing, and a request read early is
 * queued by Reactor Netty as it queues any request arriving before the previous answer ended.
 *
 * <p>Remove with Reactor Netty 1.3.8 or later ({@code KeepAliveTraceLookupTest} guards the behaviour either way).
 */
@Component
public class KeepAliveReads implements NettyServerCustomizer {

    static final String HANDLER = "channelstream.keepAliveReads";

    private static final ChannelHandler READ_AFTER_EACH_ANSWER = new ReadAfterEachAnswer();

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            // HTTP/1.1 only: there the traffic handler reads on demand; HTTP/2 streams are read by their codec
            if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null
                    && channel.pipeline().get(HANDLER) == null) {
                channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, HANDLER, READ_AFTER_EACH_ANSWER);
            }
        });
    }

    @ChannelHandler.Sharable
    static final class ReadAfterEachAnswer extends ChannelDuplexHandler {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            boolean answerEnds = msg instanceof LastHttpContent;
            ctx.write(msg, promise);
            if (answerEnds) {
                Channel channel = ctx.channel();
                // after what this answer's end scheduled on the loop (Reactor Netty drains its queue of early requests there)
                channel.eventLoop().execute(() -> {
                    if (channel.isActive() && !channel.config().isAutoRead()) {
                        channel.read();
                    }
                });
            }
        }
    }
}
