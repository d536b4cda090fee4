package io.channelstream.api.alerts;

import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.regions.RegionTree;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** The alert inbox: list, handle, and follow live. */
@RestController
@RequestMapping("/api/alerts")
public class AlertsController {

    public static final String LAST_EVENT_ID = "Last-Event-ID";

    private final AlertInbox inbox;
    private final AlertStreamHub hub;
    private final AccessPolicy access;
    private final RegionTree regions;
    private final AlertSettings settings;
    private final ObjectMapper json;

    public AlertsController(AlertInbox inbox, AlertStreamHub hub, AccessPolicy access, RegionTree regions,
                            AlertSettings settings, ObjectMapper json) {
        this.json = json;
        this.inbox = inbox;
        this.hub = hub;
        this.access = access;
        this.regions = regions;
        this.settings = settings;
    }

    /** Newest first, within what the caller may see, filtered and paginated. */
    @GetMapping
    public Mono<AlertPage> list(@AuthenticationPrincipal Jwt jwt,
                                @RequestParam(required = false) String region,
                                @RequestParam(required = false) String type,
                                @RequestParam(required = false) String severity,
                                @RequestParam(required = false) String state,
                                @RequestParam(required = false) String from,
                                @RequestParam(required = false) String to,
                                @RequestParam(required = false) Integer limit,
                                @RequestParam(required = false) String cursor) {
        Caller caller = Caller.from(jwt);
        AlertQuery query = AlertQuery.parse(region, type, severity, state, from, to, limit, cursor,
                settings.maxPageSize());
        if (region != null) {
            if (!regions.exists(region)) {
                return Mono.error(BadRequestException.unprocessable("region",
                        "'" + region + "' is not a GB/T 2260 province, city or county code"));
            }
            if (!overlapsScope(caller, region)) {
                return Mono.error(new ForbiddenException("region " + region + " lies outside the regions you may see"));
            }
        }
        return inbox.list(caller, query);
    }

    @GetMapping("/{alertId}")
    public Mono<AlertView> get(@AuthenticationPrincipal Jwt jwt, @PathVariable String alertId) {
        return inbox.findVisible(Caller.from(jwt), alertId);
    }

    @PostMapping("/{alertId}/acknowledge")
    public Mono<AlertView> acknowledge(@AuthenticationPrincipal Jwt jwt, @PathVariable String alertId) {
        return inbox.acknowledge(Caller.from(jwt), alertId);
    }

    @PostMapping("/{alertId}/resolve")
    public Mono<AlertView> resolve(@AuthenticationPrincipal Jwt jwt, @PathVariable String alertId,
                                   @RequestBody(required = false) Resolution resolution) {
        return inbox.resolve(Caller.from(jwt), alertId, resolution == null ? null : resolution.note());
    }

    /** @param note why it is resolved, kept in the alert's resolution */
    public record Resolution(@Size(max = 2000) String note) {}

    /**
     * Live alerts as Server-Sent Events: {@code ready} once listening, then {@code alert} events whose id is
     * the change number, heartbeats as comments, and {@code resync} (then end of stream) for a client that
     * fell too far behind. With {@code Last-Event-ID} (header, or {@code lastEventId} parameter for clients
     * that cannot set headers on reconnect) the stream first replays, in order, every change after that id.
     *
     * <p>Written as raw frames: an alert's frame is encoded once by the hub and its bytes go to every client
     * as they are; the changes of one pump read go out in one write and flush per client.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Mono<Void> stream(@AuthenticationPrincipal Jwt jwt,
                             @RequestHeader(name = LAST_EVENT_ID, required = false) String header,
                             @RequestParam(name = "lastEventId", required = false) String param,
                             ServerHttpResponse response) {
        Caller caller = Caller.from(jwt);
        Long resumeAfter = parseLastEventId(header != null ? header : param);
        response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
        response.getHeaders().setCacheControl("no-cache");
        DataBufferFactory buffers = response.bufferFactory();
        Flux<Mono<DataBuffer>> frames = Flux.defer(() -> {
            AlertStreamHub.Listener listener = hub.register(caller);
            Flux<Frames> backlog = resumeAfter == null || resumeAfter >= listener.liveAfter()
                    ? Flux.empty()
                    : inbox.changesVisibleTo(caller, resumeAfter, listener.liveAfter(), settings.readPageSize())
                            // this client's alone, used once: on the heap, released with its write
                            .map(alert -> Unpooled.wrappedBuffer(
                                    SseFrames.alert(alert.sequence(), json.writeValueAsString(alert))))
                            .buffer(BACKLOG_FRAMES_PER_WRITE)
                            .map(Frames::of);
            Flux<Frames> live = listener.liveBatches()
                    .map(batch -> {
                        List<AlertChange> wanted = resumeAfter == null ? batch
                                : batch.stream().filter(change -> change.sequence() > resumeAfter).toList();
                        if (wanted.isEmpty()) {
                            listener.written(batch); // all replayed from the backlog already
                        }
                        return new Frames(wanted.stream().map(AlertChange::wire).toList(),
                                () -> listener.written(batch), false);
                    })
                    .filter(batch -> !batch.frames().isEmpty());
            Flux<Frames> alerts = Flux.concat(backlog, live)
                    .onErrorResume(AlertStreamHub.SlowListenerException.class,
                            slow -> Flux.just(new Frames(List.of(resyncFrame(slow)), Frames.NOTHING, true)));
            Flux<Frames> heartbeats = Flux.interval(Duration.ofMillis(settings.heartbeatMillis()))
                    .map(tick -> Frames.of(List.of(HEARTBEAT)));
            return Flux.concat(Flux.just(Frames.of(List.of(readyFrame(listener.liveAfter(), resumeAfter)))), alerts)
                    .mergeWith(heartbeats)
                    .takeUntil(Frames::endsStream)
                    // one buffer (a composite of the shared frames, not a copy) is one HTTP chunk and one write
                    .map(batch -> Mono.fromSupplier(() -> join(buffers, batch.frames()))
                            // the connection took them: their room in the client's buffer is free again
                            .doOnTerminate(batch.written()))
                    .doFinally(signal -> hub.unregister(listener));
        });
        return response.writeAndFlushWith(frames);
    }

    private static final int BACKLOG_FRAMES_PER_WRITE = 100;
    private static final ByteBuf HEARTBEAT = SseFrames.direct(SseFrames.HEARTBEAT);

    /**
     * Frames as one buffer for one write: on Reactor Netty a composite of duplicates of the frames (the shared
     * live frames are direct and never released, so the socket writes them as they are, gathering; a frame of
     * one client only, its ready, resync or backlog, is a heap buffer released with the write), elsewhere a copy.
     */
    private static DataBuffer join(DataBufferFactory buffers, List<ByteBuf> frames) {
        if (buffers instanceof NettyDataBufferFactory netty) {
            if (frames.size() == 1) {
                return netty.wrap(frames.get(0).duplicate());
            }
            CompositeByteBuf joined = netty.getByteBufAllocator().compositeDirectBuffer(frames.size());
            for (ByteBuf frame : frames) {
                joined.addComponent(true, frame.duplicate());
            }
            return netty.wrap(joined);
        }
        return buffers.join(frames.stream().map(frame -> buffers.wrap(ByteBufUtil.getBytes(frame))).toList());
    }

    /**
     * SSE frames written (and flushed) together, what to do once the connection has taken them, and
     * whether the stream ends after them (a resync).
     */
    private record Frames(List<ByteBuf> frames, Runnable written, boolean endsStream) {
        static final Runnable NOTHING = () -> { };

        static Frames of(List<ByteBuf> frames) {
            return new Frames(frames, NOTHING, false);
        }
    }

    private boolean overlapsScope(Caller caller, String region) {
        return switch (caller.role()) {
            case HQ, DEALER -> true; // HQ sees all; a dealer's own alerts are narrowed, never widened
            case REGIONAL_MANAGER, PARTNER -> access.canSeeRegion(caller, region)
                    || caller.regionCodes().stream().anyMatch(own -> regions.contains(region, own));
        };
    }

    private static Long parseLastEventId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw BadRequestException.invalid(LAST_EVENT_ID, "must be the id of an event of this stream (a "
                    + "non-negative number), was '" + value + "'");
        }
    }

    private ByteBuf readyFrame(long liveAfter, Long resumeAfter) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("liveAfter", liveAfter);
        data.put("resumedAfter", resumeAfter);
        return Unpooled.wrappedBuffer(SseFrames.ready(READY_RETRY.toMillis(), json.writeValueAsString(data)));
    }

    private ByteBuf resyncFrame(AlertStreamHub.SlowListenerException slow) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", slow.getMessage());
        data.put("lastEventId", slow.lastQueued());
        return Unpooled.wrappedBuffer(SseFrames.resync(json.writeValueAsString(data)));
    }

    /** How long a disconnected client waits before reconnecting (the {@code retry} field of {@code ready}). */
    private static final Duration READY_RETRY = Duration.ofSeconds(2);
}
