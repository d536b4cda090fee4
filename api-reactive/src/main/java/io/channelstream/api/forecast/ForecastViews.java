package io.channelstream.api.forecast;

import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.forecast.model.BundlePartners;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The forecast answers as the API gives them (plain JSON, not Avro records). */
public final class ForecastViews {

    private ForecastViews() {
    }

    /** @param servedBy the instance whose store answered; @param stale a standby copy answered */
    public record FeaturesView(String dealerId, String sku, String category, Instant occurredAt, LocalDate asOfWeekStart,
                               String demandSignal, List<WeekView> weeks, long currentWeekUnits,
                               long currentWeekRevenueFen, double meanWeeklyUnits, double trendUnitsPerWeek,
                               double stdDevWeeklyUnits, Double coefficientOfVariation, List<Double> dayOfWeekIndex,
                               Double promoLift, int promoWeeks, Double seasonalityIndex, String servedBy,
                               boolean stale) {

        static FeaturesView of(DemandFeatures f, String servedBy, boolean stale) {
            return new FeaturesView(f.getDealerId(), f.getSku(), f.getCategory(), f.getOccurredAt(),
                    f.getAsOfWeekStart(), f.getDemandSignal(),
                    f.getWeeks().stream().map(w -> new WeekView(w.getWeekStart(), w.getUnits(), w.getRevenueFen(),
                            w.getOrderedUnits(), w.getSoldUnits(), w.getPromo())).toList(),
                    f.getCurrentWeekUnits(), f.getCurrentWeekRevenueFen(), f.getMeanWeeklyUnits(),
                    f.getTrendUnitsPerWeek(), f.getStdDevWeeklyUnits(), f.getCoefficientOfVariation(),
                    f.getDayOfWeekIndex(), f.getPromoLift(), f.getPromoWeeks(), f.getSeasonalityIndex(), servedBy,
                    stale);
        }
    }

    public record WeekView(LocalDate weekStart, long units, long revenueFen, long orderedUnits, long soldUnits,
                           boolean promo) {}

    public record SuggestionView(String dealerId, String sku, String category, Instant occurredAt, long suggestedUnits,
                                 String explanation, String method, LocalDate forecastWeekStart,
                                 List<Double> forecastWeeklyUnits, List<Double> seasonalNaiveWeeklyUnits,
                                 int leadTimeDays, double expectedDemandOverLeadTimeUnits, double safetyStockFactor,
                                 double forecastErrorStdDevUnits, double safetyStockUnits, long availableUnits,
                                 long inTransitUnits, double levelUnitsPerWeek, double trendUnitsPerWeek,
                                 List<Double> seasonalIndices, Double promoLift, int historyWeeks, String servedBy,
                                 boolean stale) {

        static SuggestionView of(OrderSuggestion s, String servedBy, boolean stale) {
            return new SuggestionView(s.getDealerId(), s.getSku(), s.getCategory(), s.getOccurredAt(),
                    s.getSuggestedUnits(), s.getExplanation(), s.getMethod(), s.getForecastWeekStart(),
                    s.getForecastWeeklyUnits(), s.getSeasonalNaiveWeeklyUnits(), s.getLeadTimeDays(),
                    s.getExpectedDemandOverLeadTimeUnits(), s.getSafetyStockFactor(), s.getForecastErrorStdDevUnits(),
                    s.getSafetyStockUnits(), s.getAvailableUnits(), s.getInTransitUnits(), s.getLevelUnitsPerWeek(),
                    s.getTrendUnitsPerWeek(), s.getSeasonalIndices(), s.getPromoLift(), s.getHistoryWeeks(), servedBy,
                    stale);
        }
    }

    /** One instance's co-purchase counts over its active partitions (instance-to-instance only). */
    public record PartialTallyView(long orders, Map<String, Long> ordersWithSku, Map<String, Long> ordersWithBoth,
                                   Set<Integer> partitions) {

        BundlePartners.Tally tally() {
            return new BundlePartners.Tally(orders, ordersWithSku, ordersWithBoth);
        }
    }

    /** @param orders orders in the window, @param ordersWithSku of them, those holding the SKU */
    public record CoPurchaseView(String sku, LocalDate fromDay, LocalDate toDay, long orders, long ordersWithSku,
                                 List<BundlePartners.Partner> partners) {}
}
