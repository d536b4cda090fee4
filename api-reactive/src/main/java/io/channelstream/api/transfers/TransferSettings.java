package io.channelstream.api.transfers;

import io.channelstream.inventory.TransferRanking;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Transfer suggestions ({@code channelstream.transfers.*}): the search radius and the economics and weights
 * of the ranking ({@link TransferRanking}).
 *
 * @param defaultRadiusKm        how far to look for sources when the request does not say (the seed's 300 km)
 * @param maxRadiusKm            the widest radius a request may ask for
 * @param transportFenPerKm      what moving one transfer costs per km, in fen
 * @param averageSpeedKmh        road speed of a transfer
 * @param handlingHours          picking, loading and unloading, whatever the distance
 * @param sourceKeepsCoverDays   a source keeps at least this many days of its own sales (and its safety stock)
 * @param targetCoverDays        what the destination is brought to when no quantity is asked for
 * @param coverHorizonDays       the source's cover beyond this counts as plenty
 */
@ConfigurationProperties("channelstream.transfers")
public record TransferSettings(
        @DefaultValue("300") double defaultRadiusKm,
        @DefaultValue("3000") double maxRadiusKm,
        @DefaultValue("300") double transportFenPerKm,
        @DefaultValue("60") double averageSpeedKmh,
        @DefaultValue("4") double handlingHours,
        @DefaultValue("14") double sourceKeepsCoverDays,
        @DefaultValue("14") double targetCoverDays,
        @DefaultValue("60") double coverHorizonDays,
        @DefaultValue("0.30") double costWeight,
        @DefaultValue("0.20") double timeWeight,
        @DefaultValue("0.20") double surplusWeight,
        @DefaultValue("0.15") double expiryWeight,
        @DefaultValue("0.15") double fillWeight) {

    public TransferRanking.Economics economics() {
        return new TransferRanking.Economics(transportFenPerKm, averageSpeedKmh, handlingHours, sourceKeepsCoverDays,
                targetCoverDays, coverHorizonDays, costWeight, timeWeight, surplusWeight, expiryWeight, fillWeight);
    }
}
