package io.channelstream.inventory;

import io.channelstream.inventory.TransferSources.BatchUnits;
import io.channelstream.inventory.TransferSources.Place;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Ranks the places that could send a location short of a SKU what it needs. Each candidate gets a score
 * (lower is better) made of five parts, each between 0 and 1 and weighted: transport cost (distance × rate,
 * relative to the dearest candidate), transfer time (handling + distance / speed, relative to the slowest),
 * the source's days of cover left after sending (less is worse, up to a horizon), near-expiry units that the
 * transfer saves from expiring unsold (more is better), and the share of the need it covers. The reasons
 * say each part in words, so a planner sees why one source ranks above another.
 */
public final class TransferRanking {

    /**
     * The economics and weights of a suggestion.
     *
     * @param transportFenPerKm         what moving a transfer costs per km, in fen
     * @param averageSpeedKmh           road speed of a transfer
     * @param handlingHours             picking, loading and unloading, whatever the distance
     * @param sourceKeepsCoverDays      a source keeps at least this many days of its own sales (and its safety stock)
     * @param destinationTargetCoverDays the need, when not given: what brings the destination to this many days
     *                                  of its sales (and at least its safety stock)
     * @param coverHorizonDays          cover beyond this counts as plenty (the surplus part is 0)
     */
    public record Economics(double transportFenPerKm, double averageSpeedKmh, double handlingHours,
                            double sourceKeepsCoverDays, double destinationTargetCoverDays, double coverHorizonDays,
                            double costWeight, double timeWeight, double surplusWeight, double expiryWeight,
                            double fillWeight) {

        /** ¥3 per km (a small truck), 60 km/h, 4 h handling, 14 days kept and targeted, 60 days of plenty. */
        public static Economics defaults() {
            return new Economics(300, 60, 4, 14, 14, 60, 0.30, 0.20, 0.20, 0.15, 0.15);
        }
    }

    /** How many units the destination needs, and why that many. */
    public record Need(long units, String because) {}

    /** Units of one batch a candidate would send. */
    public record SentBatch(String batch, LocalDate expiryDate, long units) {}

    /** The parts of a score, each 0..1 before its weight (lower is better). */
    public record ScoreParts(double cost, double time, double surplus, double expiry, double fill) {}

    /**
     * @param sourceCoverDaysAfter days the source's remaining units last at its own sale rate; null when it sells none
     * @param nearExpiryUnitsSaved units of the sent batches that would expire unsold at the source but sell in
     *                             time at the destination
     */
    public record Candidate(int rank, Place source, long units, List<SentBatch> batches, long spareUnits,
                            long transportCostFen, double transferHours, Double sourceCoverDaysAfter,
                            long nearExpiryUnitsSaved, double score, ScoreParts parts, List<String> reasons) {}

    private TransferRanking() {
    }

    /** The units asked for, or what brings the destination to its target: max(safety stock, days × its rate). */
    public static Need need(Place destination, Integer quantity, Economics economics) {
        if (quantity != null) {
            return new Need(quantity, "asked for " + quantity + " units");
        }
        int safety = destination.safetyStockUnits() == null ? 0 : destination.safetyStockUnits();
        long byCover = (long) Math.ceil(destination.saleRatePerDay() * economics.destinationTargetCoverDays());
        long target = Math.max(safety, byCover);
        long needed = Math.max(0, target - destination.available());
        String rule = "target " + target + " = max(safety stock " + safety + ", "
                + number(economics.destinationTargetCoverDays()) + " days × " + number(destination.saleRatePerDay())
                + " sold/day)";
        if (needed == 0) {
            return new Need(0, "not short: " + destination.available() + " available, " + rule);
        }
        return new Need(needed, "brings " + destination.available() + " available up to the " + rule);
    }

    /** The candidates that can spare some units, best first, at most {@code limit}. */
    public static List<Candidate> rank(Place destination, long needed, List<Place> sources, Economics economics,
                                       LocalDate today, int limit) {
        if (needed <= 0) {
            return List.of();
        }
        List<Draft> drafts = new ArrayList<>();
        for (Place source : sources) {
            Draft draft = draft(destination, needed, source, economics, today);
            if (draft != null) {
                drafts.add(draft);
            }
        }
        double dearest = drafts.stream().mapToDouble(d -> d.costFen).max().orElse(0);
        double cheapest = drafts.stream().mapToDouble(d -> d.costFen).min().orElse(0);
        double slowest = drafts.stream().mapToDouble(d -> d.hours).max().orElse(0);
        double fastest = drafts.stream().mapToDouble(d -> d.hours).min().orElse(0);
        for (Draft draft : drafts) {
            double cover = draft.coverAfter == null ? economics.coverHorizonDays()
                    : Math.min(draft.coverAfter, economics.coverHorizonDays());
            draft.parts = new ScoreParts(
                    dearest == 0 ? 0 : draft.costFen / dearest,
                    slowest == 0 ? 0 : draft.hours / slowest,
                    1 - cover / economics.coverHorizonDays(),
                    1 - (double) draft.saved / draft.units,
                    1 - (double) draft.units / needed);
            draft.score = economics.costWeight() * draft.parts.cost() + economics.timeWeight() * draft.parts.time()
                    + economics.surplusWeight() * draft.parts.surplus() + economics.expiryWeight() * draft.parts.expiry()
                    + economics.fillWeight() * draft.parts.fill();
        }
        drafts.sort(Comparator.comparingDouble((Draft d) -> d.score)
                .thenComparingDouble(d -> d.source.distanceKm())
                .thenComparing(d -> d.source.locationId()));
        List<Candidate> ranked = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, drafts.size()); i++) {
            Draft d = drafts.get(i);
            ranked.add(new Candidate(i + 1, d.source, d.units, d.sent, d.spare, Math.round(d.costFen), d.hours,
                    d.coverAfter, d.saved, round(d.score), d.parts,
                    reasons(d, destination, needed, drafts.size(), cheapest, fastest, economics)));
        }
        return ranked;
    }

    private static final class Draft {
        Place source;
        long spare;
        long keep;
        long units;
        boolean earliestFirst;
        List<SentBatch> sent;
        double costFen;
        double hours;
        Double coverAfter;
        long saved;
        SentBatch savedFrom;
        ScoreParts parts;
        double score;
    }

    private static Draft draft(Place destination, long needed, Place source, Economics economics, LocalDate today) {
        int safety = source.safetyStockUnits() == null ? 0 : source.safetyStockUnits();
        long keep = Math.max(safety, (long) Math.ceil(source.saleRatePerDay() * economics.sourceKeepsCoverDays()));
        long spare = source.available() - keep;
        if (spare <= 0) {
            return null;
        }
        Draft d = new Draft();
        d.source = source;
        d.keep = keep;
        d.spare = spare;
        d.units = Math.min(needed, spare);
        // near-expiry stock goes where it sells fastest: the destination if it sells faster, else it stays
        d.earliestFirst = destination.saleRatePerDay() > source.saleRatePerDay();
        d.sent = pick(source.batches(), d.units, d.earliestFirst);
        d.costFen = source.distanceKm() * economics.transportFenPerKm();
        d.hours = economics.handlingHours() + source.distanceKm() / economics.averageSpeedKmh();
        d.coverAfter = source.saleRatePerDay() > 0 ? (source.available() - d.units) / source.saleRatePerDay() : null;
        saved(d, destination, today);
        return d;
    }

    private static List<SentBatch> pick(List<BatchUnits> earliestExpiryFirst, long units, boolean earliestFirst) {
        List<BatchUnits> order = new ArrayList<>(earliestExpiryFirst);
        if (!earliestFirst) {
            java.util.Collections.reverse(order);
        }
        List<SentBatch> sent = new ArrayList<>();
        long left = units;
        for (BatchUnits batch : order) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, batch.units());
            sent.add(new SentBatch(batch.batch(), batch.expiryDate(), take));
            left -= take;
        }
        return List.copyOf(sent);
    }

    /**
     * Units of the sent batches that would expire unsold at the source (it sells its batches earliest expiry
     * first at its own rate) and that the destination sells before they expire (its stock and the sent units,
     * at its rate).
     */
    private static void saved(Draft d, Place destination, LocalDate today) {
        double sourceRate = d.source.saleRatePerDay();
        double destinationRate = destination.saleRatePerDay();
        if (destinationRate <= 0) {
            return;
        }
        double daysToSellAtDestination = (destination.available() + d.units) / destinationRate;
        long ahead = 0;
        for (BatchUnits batch : d.source.batches()) {
            ahead += batch.units();
            if (batch.expiryDate() == null) {
                continue;
            }
            long daysLeft = Math.max(0, ChronoUnit.DAYS.between(today, batch.expiryDate()));
            long atRisk = Math.min(batch.units(), Math.max(0, ahead - (long) Math.floor(sourceRate * daysLeft)));
            long sentOfBatch = d.sent.stream().filter(s -> s.batch().equals(batch.batch()))
                    .mapToLong(SentBatch::units).sum();
            if (atRisk > 0 && sentOfBatch > 0 && daysToSellAtDestination <= daysLeft) {
                long saved = Math.min(atRisk, sentOfBatch);
                d.saved += saved;
                if (d.savedFrom == null) {
                    d.savedFrom = new SentBatch(batch.batch(), batch.expiryDate(), saved);
                }
            }
        }
    }

    private static List<String> reasons(Draft d, Place destination, long needed, int candidates, double cheapest,
                                        double fastest, Economics economics) {
        List<String> reasons = new ArrayList<>();
        String cost = "transport ¥" + yuan(d.costFen) + " for " + number(d.source.distanceKm()) + " km at ¥"
                + yuan(economics.transportFenPerKm()) + "/km";
        reasons.add(cost + (d.costFen <= cheapest ? " (the cheapest of " + candidates + " candidates)"
                : " (" + number(d.costFen / Math.max(1, cheapest)) + "× the cheapest)"));
        reasons.add("arrives in about " + number(d.hours) + " h (" + number(economics.handlingHours())
                + " h handling + " + number(d.source.distanceKm()) + " km at " + number(economics.averageSpeedKmh())
                + " km/h)" + (d.hours <= fastest ? ", the soonest" : ""));
        if (d.coverAfter == null) {
            reasons.add("sold none lately: keeps " + (d.source.available() - d.units) + " after sending " + d.units
                    + " (it keeps at least " + d.keep + ")");
        } else {
            reasons.add("keeps " + number(d.coverAfter) + " days of its own sales after sending " + d.units
                    + " (sells " + number(d.source.saleRatePerDay()) + "/day; keeps at least " + d.keep + ")");
        }
        if (d.saved > 0) {
            reasons.add("saves " + d.saved + " units from expiring: batch " + d.savedFrom.batch() + " expires "
                    + d.savedFrom.expiryDate() + ", too soon to sell there at " + number(d.source.saleRatePerDay())
                    + "/day, in time here at " + number(destination.saleRatePerDay()) + "/day");
        } else if (d.earliestFirst) {
            reasons.add("sends its earliest-expiring batches: the destination sells faster ("
                    + number(destination.saleRatePerDay()) + "/day against " + number(d.source.saleRatePerDay()) + ")");
        } else {
            reasons.add("sends its latest-expiring batches and keeps the earliest: it sells at least as fast ("
                    + number(d.source.saleRatePerDay()) + "/day against " + number(destination.saleRatePerDay()) + ")");
        }
        reasons.add(d.units == needed ? "covers the whole need of " + needed
                : "covers " + d.units + " of the " + needed + " needed (it can spare no more)");
        ScoreParts p = d.parts;
        reasons.add(String.format(Locale.ROOT, "score %.3f = %.2f×cost %.2f + %.2f×time %.2f + %.2f×cover %.2f "
                        + "+ %.2f×expiry %.2f + %.2f×fill %.2f (lower ranks first)", d.score, economics.costWeight(),
                p.cost(), economics.timeWeight(), p.time(), economics.surplusWeight(), p.surplus(),
                economics.expiryWeight(), p.expiry(), economics.fillWeight(), p.fill()));
        return List.copyOf(reasons);
    }

    private static String yuan(double fen) {
        return String.format(Locale.ROOT, "%,.2f", fen / 100);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    private static double round(double score) {
        return Math.round(score * 10_000) / 10_000.0;
    }
}
