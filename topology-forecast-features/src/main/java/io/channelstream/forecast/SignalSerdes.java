package io.channelstream.forecast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Serdes of the private signals on the topology's repartition topics. */
final class SignalSerdes {

    private static final byte DEMAND = 1;
    private static final byte IN_TRANSIT = 2;
    private static final byte AVAILABLE = 3;

    static final Codec<Signal.ForDealer> FOR_DEALER = new Codec<>(SignalSerdes::writeForDealer,
            SignalSerdes::readForDealer);

    static final Codec<Signal.RegionalDemand> REGIONAL_DEMAND = new Codec<>(
            (out, d) -> {
                out.writeLong(d.occurredAtMillis());
                out.writeLong(d.units());
                out.writeLong(d.revenueFen());
            },
            in -> new Signal.RegionalDemand(in.readLong(), in.readLong(), in.readLong()));

    /** A change of a category's weekly demand: week start (epoch day) and units. */
    record CategoryWeekDelta(long weekStartEpochDay, long units) {}

    static final Codec<CategoryWeekDelta> CATEGORY_WEEK_DELTA = new Codec<>(
            (out, d) -> {
                out.writeLong(d.weekStartEpochDay());
                out.writeLong(d.units());
            },
            in -> new CategoryWeekDelta(in.readLong(), in.readLong()));

    private SignalSerdes() {
    }

    private static void writeForDealer(DataOutputStream out, Signal.ForDealer signal) throws IOException {
        if (signal instanceof Signal.Demand d) {
            out.writeByte(DEMAND);
            out.writeLong(d.occurredAtMillis());
            out.writeLong(d.units());
            out.writeLong(d.revenueFen());
            out.writeLong(d.promoUnits());
            out.writeBoolean(d.sold());
        } else if (signal instanceof Signal.InTransit t) {
            out.writeByte(IN_TRANSIT);
            out.writeLong(t.units());
        } else if (signal instanceof Signal.Available a) {
            out.writeByte(AVAILABLE);
            out.writeLong(a.units());
        } else {
            throw new IllegalStateException("unknown dealer signal " + signal);
        }
    }

    private static Signal.ForDealer readForDealer(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case DEMAND -> new Signal.Demand(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    in.readBoolean());
            case IN_TRANSIT -> new Signal.InTransit(in.readLong());
            case AVAILABLE -> new Signal.Available(in.readLong());
            default -> throw new IllegalStateException("unknown dealer signal kind " + kind);
        };
    }
}
