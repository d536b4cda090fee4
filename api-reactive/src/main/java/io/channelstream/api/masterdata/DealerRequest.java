package io.channelstream.api.masterdata;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * A dealer as HQ records it; the id is in the path. Each PUT announces one authorization: the given
 * region codes apply from {@code effectiveFrom} (default now) until a later authorization's effectiveFrom.
 * A PUT with an effectiveFrom already on record replaces that authorization; earlier ones are kept, so
 * facts from before a change are still judged by the regions of their time.
 */
public record DealerRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull @Min(1) @Max(3) Integer tier,
        @NotEmpty @Size(max = 200) List<@NotBlank String> authorizedRegionCodes,
        Instant effectiveFrom,
        String regionalManagerRegionCode) {}
