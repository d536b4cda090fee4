package io.channelstream.api.trace;

import io.channelstream.api.trace.TraceLookup.PublicTrace;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.regions.RegionTree;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The public trace lookup's rules, stated once for the controller and the lean path ({@link TraceLookupRoute}):
 * what input is refused (400 naming the field), that every accepted lookup is recorded as a CONSUMER scan
 * whatever the answer (an unknown code may be counterfeit), and the 404 for a code no shipment named.
 */
@Service
public class PublicTraceAnswers {

    static final int MAX_CODE_LENGTH = 512;

    private final TraceLookup lookup;
    private final ConsumerScans scans;
    private final RegionTree regions;

    public PublicTraceAnswers(TraceLookup lookup, ConsumerScans scans, RegionTree regions) {
        this.lookup = lookup;
        this.scans = scans;
        this.regions = regions;
    }

    /** By trace code as printed (any form, a Digital Link URI included). */
    public Mono<PublicTrace> byCode(String code, String regionCode, Double latitude, Double longitude) {
        if (code.isBlank() || code.length() > MAX_CODE_LENGTH) {
            return Mono.error(BadRequestException.invalid("code", "must be 1 to " + MAX_CODE_LENGTH + " characters"));
        }
        return answer(TraceCodes.canonical(code), regionCode, latitude, longitude);
    }

    /** By the parts of a GS1 Digital Link path. */
    public Mono<PublicTrace> byDigitalLink(String gtin, String batch, String serial, String regionCode,
                                           Double latitude, Double longitude) {
        String code;
        try {
            code = TraceCodes.digitalLink(gtin, batch, serial).path();
        } catch (BadRequestException invalid) {
            return Mono.error(invalid);
        }
        return answer(code, regionCode, latitude, longitude);
    }

    private Mono<PublicTrace> answer(String code, String regionCode, Double latitude, Double longitude) {
        if (regionCode != null && !regions.exists(regionCode)) {
            return Mono.error(BadRequestException.invalid("regionCode",
                    "'" + regionCode + "' is not a GB/T 2260 province, city or county code"));
        }
        if (latitude != null && (latitude < -90 || latitude > 90)) {
            return Mono.error(BadRequestException.invalid("latitude", "must be between -90 and 90"));
        }
        if (longitude != null && (longitude < -180 || longitude > 180)) {
            return Mono.error(BadRequestException.invalid("longitude", "must be between -180 and 180"));
        }
        // recorded whatever the answer (an unknown code may be counterfeit); the answer does not wait for it
        scans.record(code, regionCode, latitude, longitude);
        return lookup.publicTrace(code)
                .flatMap(trace -> trace.view() != null ? Mono.just(trace) : Mono.error(new NotFoundException(
                        "no unit with code '" + code + "' was ever shipped by the brand; if it is printed on a "
                                + "product, the product may not be genuine")));
    }
}
