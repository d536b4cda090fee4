package io.channelstream.api.inventory;

import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.ForbiddenException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
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
 * Batch recall, an HQ act: lock a batch everywhere in one request (the answer lists every holding and
 * every shipped trace code with its last known place), read that answer again, release the lock. Lock
 * and release answer even while partitions rebalance (the command is accepted; missing partitions are
 * listed); the plain read is a 503 then, unless {@code acceptPartial=true}.
 */
@RestController
@RequestMapping("/api/batches/{sku}/{batch}")
public class RecallController {

    static final int MAX_CODES = 5000;

    private final RecallService recalls;

    public RecallController(RecallService recalls) {
        this.recalls = recalls;
    }

    /** @param reason why the batch is held (quality hold, recall notice), kept on the lock event */
    public record LockRequest(@NotBlank @Size(max = 500) String reason) {}

    public record ReleaseRequest(@Size(max = 500) String reason) {}

    @PostMapping("/lock")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<RecallView> lock(@AuthenticationPrincipal Jwt jwt, @PathVariable String sku,
                                 @PathVariable String batch, @Valid @RequestBody LockRequest request,
                                 @RequestParam(required = false) String codesAfter,
                                 @RequestParam(defaultValue = "500") int codesLimit,
                                 @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = headquarters(jwt);
        checkCodesLimit(codesLimit);
        return recalls.lock(caller, sku, batch, request.reason(), codesAfter, codesLimit, authorization);
    }

    @PostMapping("/release")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<RecallView> release(@AuthenticationPrincipal Jwt jwt, @PathVariable String sku,
                                    @PathVariable String batch,
                                    @Valid @RequestBody(required = false) ReleaseRequest request,
                                    @RequestParam(required = false) String codesAfter,
                                    @RequestParam(defaultValue = "500") int codesLimit,
                                    @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = headquarters(jwt);
        checkCodesLimit(codesLimit);
        return recalls.release(caller, sku, batch, request == null ? null : request.reason(), codesAfter,
                codesLimit, authorization);
    }

    @GetMapping("/recall")
    public Mono<RecallView> recall(@AuthenticationPrincipal Jwt jwt, @PathVariable String sku,
                                   @PathVariable String batch,
                                   @RequestParam(defaultValue = "false") boolean acceptPartial,
                                   @RequestParam(required = false) String codesAfter,
                                   @RequestParam(defaultValue = "500") int codesLimit,
                                   @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = headquarters(jwt);
        checkCodesLimit(codesLimit);
        return recalls.current(caller, sku, batch, acceptPartial, codesAfter, codesLimit, authorization);
    }

    private static Caller headquarters(Jwt jwt) {
        Caller caller = Caller.from(jwt);
        if (caller.role() != Role.HQ) {
            throw new ForbiddenException("locking, releasing and reading a batch recall is for headquarters");
        }
        return caller;
    }

    private static void checkCodesLimit(int codesLimit) {
        if (codesLimit < 1 || codesLimit > MAX_CODES) {
            throw BadRequestException.invalid("codesLimit", "must be between 1 and " + MAX_CODES + ", was "
                    + codesLimit);
        }
    }
}
