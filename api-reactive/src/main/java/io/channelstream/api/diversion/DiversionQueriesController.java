package io.channelstream.api.diversion;

import io.channelstream.api.masterdata.DealerDirectory;
import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.streams.KeyOwnerRouter;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.diversion.TraceCode;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Diversion state, live from the topology's stores: a code's bindings and sightings, a dealer's score
 * and open cases. Routed to the instance owning the key; 503 with Retry-After while it rebalances.
 */
@RestController
@RequestMapping("/api/diversion")
public class DiversionQueriesController {

    private final DiversionQueryService queries;
    private final DealerDirectory dealers;
    private final AccessPolicy access;

    public DiversionQueriesController(DiversionQueryService queries, DealerDirectory dealers, AccessPolicy access) {
        this.queries = queries;
        this.dealers = dealers;
        this.access = access;
    }

    /**
     * A code's bindings and recent sightings. The code goes in the query string because a Digital Link
     * is itself a URI: {@code GET /api/diversion/codes?code=https%3A%2F%2F...}.
     */
    @GetMapping("/codes")
    public Mono<CodeTrailView> codeTrail(@AuthenticationPrincipal Jwt jwt, @RequestParam String code,
                                         @RequestParam(defaultValue = "false") boolean acceptStale,
                                         @RequestHeader(name = KeyOwnerRouter.FORWARDED_HEADER,
                                                 defaultValue = "false") boolean forwarded,
                                         @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = Caller.from(jwt);
        String printed = TraceCode.tryParse(code).map(TraceCode::code)
                .orElseThrow(() -> BadRequestException.invalid("code", "not a readable trace code"));
        return queries.codeTrail(caller, printed, acceptStale, forwarded, authorization);
    }

    /** A source dealer's windowed diversion score, escalation and open cases. */
    @GetMapping("/dealers/{dealerId}/score")
    public Mono<DealerScoreView> dealerScore(@AuthenticationPrincipal Jwt jwt, @PathVariable String dealerId,
                                             @RequestParam(defaultValue = "false") boolean acceptStale,
                                             @RequestHeader(name = KeyOwnerRouter.FORWARDED_HEADER,
                                                     defaultValue = "false") boolean forwarded,
                                             @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = Caller.from(jwt);
        return dealers.find(dealerId)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("unknown dealer '" + dealerId + "'")))
                .flatMap(dealer -> access.canSeeDealerRecord(caller, dealerId, dealer.allRegionCodes())
                        ? queries.dealerScore(dealerId, acceptStale, forwarded, authorization)
                        : Mono.error(new ForbiddenException("you may not see the diversion score of dealer "
                                + dealerId)));
    }
}
