package io.channelstream.api.inventory;

import io.channelstream.api.inventory.NetworkStockService.Filter;
import io.channelstream.api.inventory.NetworkViews.NetworkPage;
import io.channelstream.api.inventory.NetworkViews.ShareView;
import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.regions.RegionTree;
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
 * Where a SKU is across the network, and where one batch is now. Scoped like the stock endpoints: HQ
 * sees every location, a regional manager those inside their regions, a dealer only its own, a partner
 * its regions and dealers. Asking for a region or dealer outside one's scope is 403, not an empty page.
 */
@RestController
@RequestMapping("/api/network")
public class NetworkStockController {

    static final int MAX_LIMIT = 200;

    private final NetworkStockService network;
    private final AccessPolicy access;
    private final RegionTree regions;

    public NetworkStockController(NetworkStockService network, AccessPolicy access, RegionTree regions) {
        this.network = network;
        this.access = access;
        this.regions = regions;
    }

    /** One SKU across every location the caller may see, optionally one batch, region or dealer; paged by location. */
    @GetMapping("/stock/{sku}")
    public Mono<NetworkPage> skuAcrossNetwork(@AuthenticationPrincipal Jwt jwt,
                                             @PathVariable String sku,
                                             @RequestParam(required = false) String batch,
                                             @RequestParam(required = false) String region,
                                             @RequestParam(required = false) String dealerId,
                                             @RequestParam(required = false) String cursor,
                                             @RequestParam(defaultValue = "50") int limit,
                                             @RequestParam(defaultValue = "false") boolean acceptPartial,
                                             @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = Caller.from(jwt);
        Filter filter = new Filter(sku, blankToNull(batch), blankToNull(region), blankToNull(dealerId));
        checkScope(caller, filter);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw BadRequestException.invalid("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return network.page(caller, filter, blankToNull(cursor), limit, acceptPartial, authorization);
    }

    /** Where one batch is now: every location holding it, same scope, filters and paging as the SKU view. */
    @GetMapping("/batches/{sku}/{batch}")
    public Mono<NetworkPage> batchAcrossNetwork(@AuthenticationPrincipal Jwt jwt,
                                               @PathVariable String sku,
                                               @PathVariable String batch,
                                               @RequestParam(required = false) String region,
                                               @RequestParam(required = false) String dealerId,
                                               @RequestParam(required = false) String cursor,
                                               @RequestParam(defaultValue = "50") int limit,
                                               @RequestParam(defaultValue = "false") boolean acceptPartial,
                                               @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return skuAcrossNetwork(jwt, sku, batch, region, dealerId, cursor, limit, acceptPartial, authorization);
    }

    /**
     * This instance's share only (its active partitions), as another instance gathering the network view
     * asks for it with {@code X-Channelstream-Forwarded}; never forwarded further. Scoped to the caller too.
     */
    @GetMapping("/stock/{sku}/local")
    public Mono<ShareView> localShare(@AuthenticationPrincipal Jwt jwt,
                                      @PathVariable String sku,
                                      @RequestParam(required = false) String batch,
                                      @RequestParam(required = false) String region,
                                      @RequestParam(required = false) String dealerId) {
        Caller caller = Caller.from(jwt);
        Filter filter = new Filter(sku, blankToNull(batch), blankToNull(region), blankToNull(dealerId));
        checkScope(caller, filter);
        return network.localShare(caller, filter);
    }

    private void checkScope(Caller caller, Filter filter) {
        if (filter.region() != null && !regions.exists(filter.region())) {
            throw BadRequestException.unprocessable("region",
                    "'" + filter.region() + "' is not a GB/T 2260 province, city or county code");
        }
        if (caller.role() == Role.DEALER) {
            if (caller.dealerId() == null) {
                throw new ForbiddenException("the token names no dealer");
            }
            if (filter.dealerId() != null && !filter.dealerId().equals(caller.dealerId())) {
                throw new ForbiddenException("a dealer sees the network view of its own locations only, not dealer "
                        + filter.dealerId());
            }
            if (filter.region() != null) {
                throw new ForbiddenException("a dealer sees the network view of its own locations only; "
                        + "ask without a region");
            }
            return;
        }
        if (filter.region() != null && !access.canSeeRegion(caller, filter.region())) {
            throw new ForbiddenException("you may not see region " + filter.region());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
