package io.channelstream.forecast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Serdes of the private signals on the topology's repartition topics, and of the dealer step's live state. */
final class SignalSerdes {

    private static final int HAS_DEMAND = 1;
    private static final int SOLD = 2;

    /**
     * Format 2: one record per fact with all its SKUs. Format 1 (one record per line and kind, an earlier build)
     * is refused: that build partitioned the dealer step by dealer × SKU, this one by dealer, so its records and
     * state cannot be mixed with this one's (docs/forecast.md, "Upgrading").
     */
    static final Codec<Signal.ForDealer> FOR_DEALER = new Codec<>(2, SignalSerdes::writeForDealer,
            SignalSerdes::readForDealer);

    static final Codec<Signal.ForRegion> FOR_REGION = new Codec<>(2, SignalSerdes::writeForRegion,
            SignalSerdes::readForRegion);

    /** A change of a category's weekly demand: week start (epoch day) and units. */
    record CategoryWeekDelta(long weekStartEpochDay, long units) {}

    static final Codec<CategoryWeekDelta> CATEGORY_WEEK_DELTA = new Codec<>(
            (out, d) -> {
                out.writeLong(d.weekStartEpochDay());
                out.writeLong(d.units());
            },
            (in, format) -> new CategoryWeekDelta(in.readLong(), in.readLong()));

    /** What a dealer × SKU holds besides its weekly tallies: units in transit to it, and available at it. */
    record Live(long inTransitUnits, long availableUnits) {
        static final Live NONE = new Live(0, 0);

        Live plus(long inTransit, long available) {
            return new Live(inTransitUnits + inTransit, availableUnits + available);
        }
    }

    static final Codec<Live> LIVE = new Codec<>(
            (out, live) -> {
                Codec.writeVarLong(out, live.inTransitUnits());
                Codec.writeVarLong(out, live.availableUnits());
            },
            (in, format) -> new Live(Codec.readVarLong(in), Codec.readVarLong(in)));

    private SignalSerdes() {
    }

    private static void writeForDealer(DataOutputStream out, Signal.ForDealer signal) throws IOException {
        Codec.writeVarLong(out, signal.changes().size());
        for (Signal.SkuChange change : signal.changes()) {
            out.writeUTF(change.sku());
            Signal.Demand demand = change.demand();
            int flags = (demand == null ? 0 : HAS_DEMAND) | (demand != null && demand.sold() ? SOLD : 0);
            out.writeByte(flags);
            if (demand != null) {
                Codec.writeVarLong(out, demand.occurredAtMillis());
                Codec.writeVarLong(out, demand.units());
                Codec.writeVarLong(out, demand.revenueFen());
                Codec.writeVarLong(out, demand.promoUnits());
            }
            Codec.writeVarLong(out, change.inTransitUnits());
            Codec.writeVarLong(out, change.availableUnits());
        }
    }

    private static Signal.ForDealer readForDealer(DataInputStream in, int format) throws IOException {
        refuseFirstFormat(format);
        int size = (int) Codec.readVarLong(in);
        List<Signal.SkuChange> changes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String sku = in.readUTF();
            int flags = in.readUnsignedByte();
            Signal.Demand demand = null;
            if ((flags & HAS_DEMAND) != 0) {
                demand = new Signal.Demand(Codec.readVarLong(in), Codec.readVarLong(in), Codec.readVarLong(in),
                        Codec.readVarLong(in), (flags & SOLD) != 0);
            }
            changes.add(new Signal.SkuChange(sku, demand, Codec.readVarLong(in), Codec.readVarLong(in)));
        }
        return new Signal.ForDealer(changes);
    }

    private static void writeForRegion(DataOutputStream out, Signal.ForRegion signal) throws IOException {
        Codec.writeVarLong(out, signal.occurredAtMillis());
        Codec.writeVarLong(out, signal.lines().size());
        for (Signal.RegionalLine line : signal.lines()) {
            out.writeUTF(line.sku());
            Codec.writeVarLong(out, line.units());
            Codec.writeVarLong(out, line.revenueFen());
        }
    }

    private static Signal.ForRegion readForRegion(DataInputStream in, int format) throws IOException {
        refuseFirstFormat(format);
        long occurredAt = Codec.readVarLong(in);
        int size = (int) Codec.readVarLong(in);
        List<Signal.RegionalLine> lines = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            lines.add(new Signal.RegionalLine(in.readUTF(), Codec.readVarLong(in), Codec.readVarLong(in)));
        }
        return new Signal.ForRegion(occurredAt, lines);
    }

    private static void refuseFirstFormat(int format) {
        if (format == Codec.FIRST_FORMAT) {
            throw new IllegalStateException("a per-line signal of an earlier build (format 1) on a repartition topic: "
                    + "reset the forecast application before upgrading (docs/forecast.md, \"Upgrading\")");
        }
    }
}
