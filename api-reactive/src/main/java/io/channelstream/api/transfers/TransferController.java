package io.channelstream.api.transfers;

import io.channelstream.api.security.Caller;
import io.channelstream.api.streams.KeyOwnerRouter;
import jakarta.validation.Valid;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The transfer workflow: request → approve or reject (HQ) → dispatch (the source) → receive (the
 * destination). Each command answers 202 once its step is on {@code transfers}; the state follows at
 * {@code GET /api/transfers/{id}}.
 */
@RestController
@RequestMapping("/api/transfers")
public class TransferController {

    private final TransferService transfers;

    public TransferController(TransferService transfers) {
        this.transfers = transfers;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<TransferService.Accepted> request(@AuthenticationPrincipal Jwt jwt,
                                                  @Valid @RequestBody TransferRequests.Request request) {
        return transfers.request(Caller.from(jwt), request);
    }

    @GetMapping("/{transferId}")
    public Mono<TransferView> transfer(@AuthenticationPrincipal Jwt jwt, @PathVariable String transferId,
                                       @RequestParam(defaultValue = "false") boolean acceptStale,
                                       @RequestHeader(name = KeyOwnerRouter.FORWARDED_HEADER, defaultValue = "false")
                                       boolean forwarded,
                                       @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return transfers.transfer(Caller.from(jwt), transferId, acceptStale, forwarded, authorization);
    }

    @PostMapping("/{transferId}/approve")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<TransferService.Accepted> approve(@AuthenticationPrincipal Jwt jwt, @PathVariable String transferId,
                                                  @Valid @RequestBody(required = false) TransferRequests.Approval approval,
                                                  @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return transfers.approve(Caller.from(jwt), transferId, approval, authorization);
    }

    @PostMapping("/{transferId}/reject")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<TransferService.Accepted> reject(@AuthenticationPrincipal Jwt jwt, @PathVariable String transferId,
                                                 @Valid @RequestBody TransferRequests.Rejection rejection,
                                                 @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return transfers.reject(Caller.from(jwt), transferId, rejection, authorization);
    }

    @PostMapping("/{transferId}/dispatch")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<TransferService.Accepted> dispatch(@AuthenticationPrincipal Jwt jwt, @PathVariable String transferId,
                                                   @Valid @RequestBody(required = false) TransferRequests.Dispatch dispatch,
                                                   @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return transfers.dispatch(Caller.from(jwt), transferId, dispatch, authorization);
    }

    @PostMapping("/{transferId}/receive")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<TransferService.Accepted> receive(@AuthenticationPrincipal Jwt jwt, @PathVariable String transferId,
                                                  @Valid @RequestBody(required = false) TransferRequests.Receipt receipt,
                                                  @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return transfers.receive(Caller.from(jwt), transferId, receipt, authorization);
    }
}
