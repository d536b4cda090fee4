package io.channelstream.api.diversion;

import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.streams.KeyOwnerRouter;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.api.web.UnavailableException;
import io.channelstream.diversion.DealerScoreSnapshot;
import io.channelstream.diversion.DiversionConfig;
import io.channelstream.diversion.DiversionReads;
import io.channelstream.diversion.StoreRead;
import io.channelstream.events.CodeTrail;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Code trails and dealer scores, each answered by the instance owning its key (see {@link KeyOwnerRouter}). */
@Service
public class DiversionQueryService {

    private final KeyOwnerRouter router;
    private final DiversionConfig config;
    private final AccessPolicy access;

    public DiversionQueryService(KeyOwnerRouter router, DiversionConfig config, AccessPolicy access) {
        this.router = router;
        this.config = config;
        this.access = access;
    }

    /**
     * The code's trail. Who may see it depends on the trail itself (the dealers and regions involved), so the
     * instance that reads it decides, with the caller's token that a forwarded query carries along.
     */
    public Mono<CodeTrailView> codeTrail(Caller caller, String code, boolean acceptStale, boolean forwarded,
                                         String authorization) {
        KeyOwnerRouter.KeyedQuery<CodeTrailView> query = new KeyOwnerRouter.KeyedQuery<>(
                DiversionApiConfig.TOPOLOGY, "code " + code,
                streams -> new DiversionReads(streams, config).ownerOfCode(code),
                (streams, partition, stale) -> {
                    StoreRead<Optional<CodeTrail>> read =
                            new DiversionReads(streams, config).codeTrail(code, partition, stale);
                    CodeTrail trail = served(read, "code " + code)
                            .orElseThrow(() -> new NotFoundException("code " + code + " was never bound nor scanned"));
                    CodeTrailView view = CodeTrailView.of(trail, router.self(), ((StoreRead.Served<?>) read).fromStandby());
                    if (!access.canSeeCodeTrail(caller, view.dealerIds(), view.regionCodes())) {
                        throw new ForbiddenException("you may not see code " + code);
                    }
                    return view;
                },
                "/api/diversion/codes?code={code}", Map.of("code", code), CodeTrailView.class);
        return router.route(query, acceptStale, forwarded, authorization);
    }

    public Mono<DealerScoreView> dealerScore(String dealerId, boolean acceptStale, boolean forwarded,
                                             String authorization) {
        KeyOwnerRouter.KeyedQuery<DealerScoreView> query = new KeyOwnerRouter.KeyedQuery<>(
                DiversionApiConfig.TOPOLOGY, "the score of dealer " + dealerId,
                streams -> new DiversionReads(streams, config).ownerOfDealer(dealerId),
                (streams, partition, stale) -> {
                    StoreRead<DealerScoreSnapshot> read = new DiversionReads(streams, config)
                            .dealerScore(dealerId, Instant.now(), partition, stale);
                    DealerScoreSnapshot snapshot = served(read, "dealer " + dealerId);
                    return DealerScoreView.of(snapshot, router.self(), ((StoreRead.Served<?>) read).fromStandby());
                },
                "/api/diversion/dealers/{dealerId}/score", Map.of("dealerId", dealerId), DealerScoreView.class);
        return router.route(query, acceptStale, forwarded, authorization);
    }

    private <T> T served(StoreRead<T> read, String subject) {
        if (read instanceof StoreRead.Served<T> served) {
            return served.value();
        }
        StoreRead.Unavailable<T> unavailable = (StoreRead.Unavailable<T>) read;
        throw new UnavailableException("the store for " + subject + " is not ready here (" + unavailable.reason()
                + ")", router.retryAfter());
    }
}
