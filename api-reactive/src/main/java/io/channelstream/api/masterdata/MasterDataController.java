package io.channelstream.api.masterdata;

import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.regions.RegionTree;
import jakarta.validation.Valid;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Master data of record: HQ writes it, callers read what their role lets them see. */
@RestController
@RequestMapping("/api/master")
public class MasterDataController {

    private final LocationDirectory locations;
    private final AccessPolicy access;
    private final RegionTree regions;

    public MasterDataController(LocationDirectory locations, AccessPolicy access, RegionTree regions) {
        this.locations = locations;
        this.access = access;
        this.regions = regions;
    }

    @PutMapping("/locations/{locationId}")
    public Mono<Location> putLocation(@AuthenticationPrincipal Jwt jwt, @PathVariable String locationId,
                                      @Valid @RequestBody LocationRequest request) {
        Caller caller = Caller.from(jwt);
        if (!access.canManageMasterData(caller)) {
            return Mono.error(new ForbiddenException("only HQ may change master data"));
        }
        if (!regions.exists(request.regionCode())) {
            return Mono.error(BadRequestException.unprocessable("regionCode",
                    "'" + request.regionCode() + "' is not a GB/T 2260 province, city or county code"));
        }
        return locations.upsert(request.toLocation(locationId), "api:hq:" + caller.subject());
    }

    @GetMapping("/locations/{locationId}")
    public Mono<Location> getLocation(@AuthenticationPrincipal Jwt jwt, @PathVariable String locationId) {
        return locations.findVisible(Caller.from(jwt), locationId);
    }
}
