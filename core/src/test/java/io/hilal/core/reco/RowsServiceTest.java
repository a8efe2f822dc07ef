package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.catalog.CatalogProduct;
import io.hilal.core.catalog.CatalogSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowsServiceTest {
    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    private static final Map<String, ProductInfo> CATALOG =
            Map.of(
                    "dates", new ProductInfo("dates", "Ajwa dates", "Food", true),
                    "coffee", new ProductInfo("coffee", "Arabic coffee", "Food", true),
                    "cups", new ProductInfo("cups", "Finjan cups", "Home", true),
                    "lamp", new ProductInfo("lamp", "Ramadan lamp", "Home", true),
                    "oud", new ProductInfo("oud", "Oud oil", "Beauty", true),
                    "postage", new ProductInfo("postage", "Postage", null, false));

    /** Amina buys dates every 30 days; others buy coffee with cups, and lamps, now and then. */
    private static RecommendationModel model() {
        List<Purchase> purchases = new ArrayList<>();
        for (int month = 0; month < 6; month++) {
            Instant at = START.plus(Duration.ofDays(30L * month));
            purchases.add(new Purchase("amina", "dates", "a-" + month, 1, at));
            purchases.add(new Purchase("amina", "postage", "a-" + month, 1, at));
            for (int other = 0; other < 5; other++) {
                String customer = "c-" + other;
                String order = customer + "-" + month;
                purchases.add(
                        new Purchase(
                                customer, "coffee", order, 1, at.plus(Duration.ofHours(other))));
                purchases.add(
                        new Purchase(customer, "cups", order, 1, at.plus(Duration.ofHours(other))));
                purchases.add(
                        new Purchase(
                                customer, "dates", order, 1, at.plus(Duration.ofHours(other))));
            }
        }
        purchases.add(new Purchase("amina", "oud", "a-oud", 1, START.plus(Duration.ofDays(10))));
        // A first box of dates, 28 days before the model's present.
        purchases.add(new Purchase("noor", "dates", "n-1", 1, START.plus(Duration.ofDays(150))));
        purchases.add(new Purchase("c-0", "lamp", "lamp-order", 1, START.plus(Duration.ofDays(3))));
        // The model's present: 28 days after Amina's last box of dates.
        return RecommendationModel.train(purchases, CATALOG, START.plus(Duration.ofDays(150 + 28)));
    }

    @Test
    void aFirstTimeBuyersReminderSaysTheRhythmIsOtherShoppers() {
        Rows rows = new RowsService().rows(model(), "noor", null, Set.of(), 5, 5);

        Rows.Row first = rows.rows().get(0);
        assertThat(first.title()).isEqualTo("Time to restock");
        assertThat(first.items().get(0).reason())
                .isEqualTo(
                        "Shoppers buy this again about every 30 days; you bought it 28 days ago");
    }

    @Test
    void remindsARegularToRestockWithTheReasonAndShowsNoProductTwice() {
        Rows rows = new RowsService().rows(model(), "amina", null, Set.of(), 5, 5);

        assertThat(rows.personalized()).isTrue();
        Rows.Row first = rows.rows().get(0);
        assertThat(first.title()).isEqualTo("Time to restock");
        assertThat(first.items()).extracting(ScoredItem::productId).containsExactly("dates");
        assertThat(first.items().get(0).reason())
                .isEqualTo("You buy this about every 30 days; last bought 28 days ago");
        assertThat(rows.rows())
                .anySatisfy(
                        row -> assertThat(row.title()).isEqualTo("Because you bought Ajwa dates"));

        Set<String> seen = new HashSet<>();
        rows.rows()
                .forEach(
                        row ->
                                row.items()
                                        .forEach(
                                                item ->
                                                        assertThat(seen.add(item.productId()))
                                                                .isTrue()));
        assertThat(seen).doesNotContain("postage", "oud");
    }

    @Test
    void leavesOutThumbsDownProductsEverywhere() {
        Rows rows = new RowsService().rows(model(), "amina", null, Set.of("coffee"), 5, 5);
        rows.rows()
                .forEach(
                        row ->
                                assertThat(row.items())
                                        .extracting(ScoredItem::productId)
                                        .doesNotContain("coffee"));
    }

    @Test
    void givesAnUnknownCustomerPopularRowsMarkedNotPersonalized() {
        Rows rows = new RowsService().rows(model(), "stranger", null, Set.of(), 5, 3);
        assertThat(rows.personalized()).isFalse();
        assertThat(rows.rows())
                .singleElement()
                .satisfies(
                        row -> {
                            assertThat(row.id()).isEqualTo("popular");
                            assertThat(row.items())
                                    .extracting(ScoredItem::productId)
                                    .containsExactly("dates", "coffee", "cups");
                        });
    }

    @Test
    void capsOneCategorysShareOfARowAtServeTime() {
        Map<String, ProductInfo> catalog = new java.util.HashMap<>();
        List<Purchase> purchases = new ArrayList<>();
        // Six foods outsell three home products; food's best sellers fill the top of popularity.
        for (int i = 0; i < 9; i++) {
            String product = (i < 6 ? "food-" : "home-") + i;
            catalog.put(product, new ProductInfo(product, product, i < 6 ? "Food" : "Home", true));
            for (int buyer = 0; buyer < 20 - i; buyer++) {
                purchases.add(
                        new Purchase("c-" + buyer, product, "o-" + buyer + "-" + i, 1, START));
            }
        }
        RecommendationModel model =
                RecommendationModel.train(purchases, catalog, START.plus(Duration.ofDays(1)));

        Rows plain = new RowsService().rows(model, "stranger", null, Set.of(), 5, 4);
        Rows capped =
                new RowsService(new CategoryCap(0.5, 1.0))
                        .rows(model, "stranger", null, Set.of(), 5, 4);

        assertThat(plain.rows().get(0).items())
                .extracting(ScoredItem::productId)
                .containsExactly("food-0", "food-1", "food-2", "food-3");
        assertThat(capped.rows().get(0).items())
                .extracting(ScoredItem::productId)
                .containsExactly("food-0", "food-1", "home-6", "home-7");
    }

    @Test
    void capsOneCategorysShareOfThePageAcrossRows() {
        // A page of 2 rows of 2 holds one Food product at most (25%): the restock row's dates
        // count toward it, so "Because you bought Ajwa dates" passes over the Food coffee.
        Rows plain = new RowsService().rows(model(), "amina", null, Set.of(), 2, 2);
        Rows capped =
                new RowsService(new CategoryCap(1.0, 0.25))
                        .rows(model(), "amina", null, Set.of(), 2, 2);

        assertThat(plain.rows())
                .flatExtracting(Rows.Row::items)
                .extracting(ScoredItem::productId)
                .containsExactlyInAnyOrder("dates", "coffee", "cups");
        assertThat(capped.rows().get(0).id()).isEqualTo("time-to-restock");
        assertThat(capped.rows())
                .flatExtracting(Rows.Row::items)
                .extracting(ScoredItem::productId)
                .containsExactly("dates", "cups");
    }

    @Test
    void answersTheNewestSearchWithProductsTheCustomerDoesNotOwnMostOfTheQueryFirst() {
        CustomerSignals searched =
                CustomerSignals.NONE.withSearches(
                        List.of(
                                new Search("oud perfume", START.plus(Duration.ofDays(170))),
                                new Search("arabic finjan", START.plus(Duration.ofDays(160)))));

        Rows rows =
                new RowsService()
                        .rows(
                                model(),
                                "amina",
                                RowsService.Context.HOME,
                                searched,
                                RowsFilter.NONE,
                                5,
                                5);

        // "oud perfume" finds only the oud Amina owns: the row answers the search before it.
        assertThat(rows.rows())
                .filteredOn(row -> row.id().equals("because-you-searched"))
                .singleElement()
                .satisfies(
                        row -> {
                            assertThat(row.title())
                                    .isEqualTo(
                                            "Because you searched for \u201carabic finjan\u201d");
                            assertThat(row.items())
                                    .extracting(ScoredItem::productId)
                                    .containsExactly("coffee", "cups");
                        });
        assertThat(
                        new RowsService(new RowsSettings(CategoryCap.OFF, false, false))
                                .rows(
                                        model(),
                                        "amina",
                                        RowsService.Context.HOME,
                                        searched,
                                        RowsFilter.NONE,
                                        5,
                                        5)
                                .rows())
                .extracting(Rows.Row::id)
                .doesNotContain("because-you-searched");
    }

    @Test
    void searchedProductsFeedPickedForYouOnlyWhenSetTo() {
        io.hilal.core.reco.als.AlsModel als = twoTastes();
        RecommendationModel model = model();
        CustomerSignals searched =
                CustomerSignals.NONE.withSearches(
                        List.of(new Search("ramadan lamp", model.trainedAt())));
        RowsSettings feeding = new RowsSettings(CategoryCap.OFF, true, true);

        Rows plain =
                new RowsService()
                        .rows(
                                model,
                                als,
                                "seeker",
                                RowsService.Context.HOME,
                                searched,
                                RowsFilter.NONE,
                                5,
                                1);
        Rows fed =
                new RowsService(feeding)
                        .rows(
                                model,
                                als,
                                "seeker",
                                RowsService.Context.HOME,
                                searched,
                                RowsFilter.NONE,
                                5,
                                1);

        assertThat(plain.rows()).extracting(Rows.Row::id).doesNotContain("picked-for-you");
        // The search row shows the lamp itself; "Picked for you" goes with it.
        assertThat(fed.rows().get(0).items())
                .extracting(ScoredItem::productId)
                .containsExactly("lamp");
        assertThat(fed.rows())
                .filteredOn(row -> row.id().equals("picked-for-you"))
                .singleElement()
                .satisfies(
                        row -> {
                            assertThat(row.items().get(0).productId()).isEqualTo("cups");
                            assertThat(row.items().get(0).reason())
                                    .isEqualTo("Like the Ramadan lamp you searched for");
                        });
    }

    @Test
    void leadsWithWhatGoesWithTheProductOnAProductPage() {
        Rows rows = new RowsService().rows(model(), "stranger", "coffee", Set.of(), 5, 5);
        assertThat(rows.rows().get(0).title())
                .isEqualTo("Often bought together with Arabic coffee");
        assertThat(rows.rows().get(0).items())
                .extracting(ScoredItem::productId)
                .contains("cups")
                .doesNotContain("coffee");
    }

    @Test
    void aStoredModelServesTheSameRowsAsTheTrainedOne() {
        RecommendationModel trained = model();
        RecommendationModel loaded = RecommendationModel.fromBytes(trained.toBytes());
        RowsService rows = new RowsService();
        for (String customer : List.of("amina", "c-0", "stranger")) {
            assertThat(rows.rows(loaded, customer, null, Set.of(), 5, 5))
                    .isEqualTo(rows.rows(trained, customer, null, Set.of(), 5, 5));
        }
        assertThat(loaded.trainedAt()).isEqualTo(trained.trainedAt());
    }

    @Test
    void aPurchaseNewerThanTheModelMovesTheRestockDateAtOnce() {
        RecommendationModel model = model();
        Instant justNow = model.trainedAt().plus(Duration.ofDays(1));
        CustomerSignals signals =
                new CustomerSignals(
                        Set.of(),
                        List.of(new Purchase("amina", "dates", "a-new", 1, justNow)),
                        List.of(),
                        Set.of());

        Rows rows =
                new RowsService()
                        .rows(
                                model,
                                "amina",
                                RowsService.Context.HOME,
                                signals,
                                RowsFilter.NONE,
                                5,
                                5);

        assertThat(rows.rows())
                .extracting(Rows.Row::id)
                .doesNotContain("time-to-restock")
                .contains("because-you-bought");
    }

    @Test
    void aProductAddedAfterTrainingAndBoughtLeavesEveryDiscoveryRowOfItsBuyer() {
        RecommendationModel model = model();
        Instant justNow = model.trainedAt().plus(Duration.ofDays(1));
        List<CatalogProduct> products = new ArrayList<>();
        CATALOG.values().stream()
                .filter(ProductInfo::recommendable)
                .forEach(
                        product ->
                                products.add(
                                        catalogProduct(
                                                product.productId(),
                                                product.title(),
                                                product.category())));
        products.add(catalogProduct("sukkari", "Sukkari dates", "Food"));
        products.add(catalogProduct("medjool", "Medjool dates", "Food"));
        RowsFilter filter = RowsFilter.NONE.withCatalog(CatalogSnapshot.of(1, products));
        // Others buy the new dates since training: the popularity rows count them.
        List<RecentSales.Line> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(new RecentSales.Line("sukkari", "s-" + i, "s-" + i, 1, justNow));
            lines.add(new RecentSales.Line("medjool", "m-" + i, "m-" + i, 1, justNow));
        }
        RecentSales sales = RecentSales.of(lines);
        // Amina's whole history as serving reads it: the new dates she just bought among it.
        CustomerSignals amina =
                new CustomerSignals(
                        Set.of(),
                        List.of(new Purchase("amina", "sukkari", null, 1, justNow)),
                        List.of(),
                        Set.of(),
                        Map.of(
                                "dates",
                                new PurchaseHistory(
                                        "dates", 6, START, START.plus(Duration.ofDays(150))),
                                "sukkari",
                                new PurchaseHistory("sukkari", 1, justNow, justNow)),
                        true);

        for (RowsService.Context context :
                List.of(
                        RowsService.Context.HOME,
                        RowsService.Context.cart(),
                        RowsService.Context.product("coffee"))) {
            Rows rows =
                    new RowsService()
                            .rows(model, null, "amina", context, amina, filter, sales, 10, 20);
            assertThat(rows.rows())
                    .filteredOn(row -> !row.id().equals("time-to-restock"))
                    .flatExtracting(Rows.Row::items)
                    .extracting(ScoredItem::productId)
                    .as(context.kind())
                    .doesNotContain("sukkari", "dates")
                    .contains("medjool");
        }
        assertThat(
                        new RowsService()
                                .recommendations(model, null, "amina", amina, filter, sales, 100))
                .extracting(ScoredItem::productId)
                .doesNotContain("sukkari");
        Rows stranger =
                new RowsService()
                        .rows(
                                model,
                                null,
                                "stranger",
                                RowsService.Context.HOME,
                                CustomerSignals.NONE,
                                filter,
                                sales,
                                10,
                                20);
        assertThat(stranger.rows())
                .flatExtracting(Rows.Row::items)
                .extracting(ScoredItem::productId)
                .contains("sukkari");
    }

    private static CatalogProduct catalogProduct(String id, String title, String category) {
        return new CatalogProduct(
                id,
                title,
                category == null ? List.of() : List.of(category),
                new BigDecimal("10"),
                "SAR",
                null,
                null,
                Map.of(),
                START);
    }

    @Test
    void aStrangerWhoViewedSomethingGetsViewedTogetherRowsAsPersonalized() {
        List<Purchase> purchases = new ArrayList<>();
        List<View> views = new ArrayList<>();
        for (int day = 0; day < 10; day++) {
            Instant at = START.plus(Duration.ofDays(day));
            views.add(new View("v-" + day, "lamp", at));
            views.add(new View("v-" + day, "cups", at.plusSeconds(60)));
            purchases.add(new Purchase("c-" + day, "coffee", "o-" + day, 1, at));
        }
        RecommendationModel model =
                RecommendationModel.train(
                        purchases, views, CATALOG, START.plus(Duration.ofDays(10)));
        CustomerSignals signals =
                new CustomerSignals(
                        Set.of(),
                        List.of(),
                        List.of(new View("new", "lamp", START.plus(Duration.ofDays(11)))),
                        Set.of());

        Rows rows =
                new RowsService()
                        .rows(
                                model,
                                "new",
                                RowsService.Context.HOME,
                                signals,
                                RowsFilter.NONE,
                                5,
                                5);

        assertThat(rows.personalized()).isTrue();
        assertThat(rows.rows().get(0).title()).isEqualTo("Because you viewed Ramadan lamp");
        assertThat(rows.rows().get(0).items())
                .extracting(ScoredItem::productId)
                .containsExactly("cups");
        assertThat(new RowsService().similar(model, "lamp", 5))
                .extracting(ScoredItem::productId)
                .containsExactly("cups");
    }

    @Test
    void showsWhatIsTrendingThisWeekWithHowMuchMoreItSells() {
        List<Purchase> purchases = new ArrayList<>();
        Instant now = START.plus(Duration.ofDays(35));
        for (int week = 0; week < 4; week++) {
            purchases.add(
                    new Purchase(
                            "c-" + week,
                            "oud",
                            "w-" + week,
                            1,
                            START.plus(Duration.ofDays(7L * week))));
        }
        for (int order = 0; order < 6; order++) {
            purchases.add(
                    new Purchase(
                            "n-" + order,
                            "oud",
                            "n-" + order,
                            1,
                            now.minus(Duration.ofHours(order + 1))));
        }
        RecommendationModel model = RecommendationModel.train(purchases, CATALOG, now);

        assertThat(model.trending())
                .singleElement()
                .satisfies(
                        trend -> {
                            assertThat(trend.productId()).isEqualTo("oud");
                            assertThat(trend.lastWeek()).isEqualTo(6);
                            assertThat(trend.usualWeekly()).isEqualTo(1.0);
                        });
        Rows rows = new RowsService().rows(model, "stranger", null, Set.of(), 5, 5);
        assertThat(rows.rows().get(0).id()).isEqualTo("trending");
        assertThat(rows.rows().get(0).items().get(0).reason())
                .isEqualTo("In 6 orders this week, usually about 1");
        assertThat(rows.personalized()).isFalse();
    }

    @Test
    void keepsToTheRequestsCategoryAndProductRulesInEveryRow() {
        RowsService service = new RowsService();
        Rows onlyFood =
                service.rows(
                        model(),
                        "c-0",
                        RowsService.Context.HOME,
                        CustomerSignals.NONE,
                        new RowsFilter(Set.of("Food"), Set.of(), Set.of()),
                        5,
                        5);
        Rows noFoodNoLamp =
                service.rows(
                        model(),
                        "c-0",
                        RowsService.Context.HOME,
                        CustomerSignals.NONE,
                        new RowsFilter(Set.of(), Set.of("Food"), Set.of("lamp")),
                        5,
                        5);

        assertThat(onlyFood.rows()).isNotEmpty();
        onlyFood.rows()
                .forEach(
                        row ->
                                row.items()
                                        .forEach(
                                                item ->
                                                        assertThat(
                                                                        CATALOG.get(
                                                                                        item
                                                                                                .productId())
                                                                                .category())
                                                                .isEqualTo("Food")));
        noFoodNoLamp
                .rows()
                .forEach(
                        row ->
                                row.items()
                                        .forEach(
                                                item -> {
                                                    assertThat(
                                                                    CATALOG.get(item.productId())
                                                                            .category())
                                                            .isNotEqualTo("Food");
                                                    assertThat(item.productId())
                                                            .isNotEqualTo("lamp");
                                                }));
    }

    @Test
    void suggestsWhatGoesWithTheCartOnTheCartPage() {
        CustomerSignals signals =
                new CustomerSignals(Set.of(), List.of(), List.of(), Set.of("coffee"));
        Rows rows =
                new RowsService()
                        .rows(
                                model(),
                                "stranger",
                                RowsService.Context.cart(),
                                signals,
                                RowsFilter.NONE,
                                5,
                                5);

        assertThat(rows.rows().get(0).id()).isEqualTo("complete-your-cart");
        assertThat(rows.rows().get(0).items())
                .extracting(ScoredItem::productId)
                .contains("cups")
                .doesNotContain("coffee");
    }

    @Test
    void refusesACorruptOrForeignArtifact() {
        byte[] bytes = model().toBytes();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RecommendationModel.fromBytes(truncated))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RecommendationModel.fromBytes(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Food buyers (dates, coffee) and home buyers (cups, lamp), in four factors. */
    private static io.hilal.core.reco.als.AlsModel twoTastes() {
        io.hilal.core.reco.als.Interactions.Builder data =
                io.hilal.core.reco.als.Interactions.builder();
        for (int customer = 0; customer < 30; customer++) {
            if (customer % 2 == 0) {
                data.add("food-" + customer, "dates", 1).add("food-" + customer, "coffee", 1);
            } else {
                data.add("home-" + customer, "cups", 1).add("home-" + customer, "lamp", 1);
            }
        }
        return io.hilal.core.reco.als.ImplicitAls.train(
                data.build(),
                io.hilal.core.reco.als.AlsParams.defaults()
                        .withFactors(4)
                        .withThreads(1)
                        .withRegularization(0.1));
    }

    /** A customer the models never saw, who has just bought Finjan cups. */
    private static CustomerSignals newcomerBoughtCups(RecommendationModel model) {
        return new CustomerSignals(
                Set.of(),
                List.of(new Purchase("newcomer", "cups", "n-1", 1, model.trainedAt())),
                List.of(),
                Set.of());
    }

    @Test
    void aCustomersKeptRankingServesEveryPageAsAFreshOneWouldAndFollowsTheirNewEvents() {
        io.hilal.core.reco.als.AlsModel als = twoTastes();
        RecommendationModel model = model();
        CustomerSignals boughtCups = newcomerBoughtCups(model);
        CustomerSignals thenViewedDates =
                new CustomerSignals(
                        Set.of(),
                        boughtCups.newPurchases(),
                        List.of(new View("newcomer", "dates", model.trainedAt())),
                        Set.of());
        RowsService kept = new RowsService();

        for (CustomerSignals signals : List.of(boughtCups, thenViewedDates)) {
            for (RowsService.Context context :
                    List.of(RowsService.Context.HOME, RowsService.Context.product("coffee"))) {
                for (String customer : List.of("newcomer", "home-1", "food-0")) {
                    CustomerSignals theirs =
                            customer.equals("newcomer") ? signals : CustomerSignals.NONE;
                    java.util.function.Function<RowsService, Rows> page =
                            service ->
                                    service.rows(
                                            model,
                                            als,
                                            customer,
                                            context,
                                            theirs,
                                            RowsFilter.NONE,
                                            5,
                                            2);
                    assertThat(page.apply(kept)).isEqualTo(page.apply(new RowsService()));
                }
            }
        }
    }

    @Test
    void picksForACustomerFromTheFactorModelFoldingInWhatTheyJustBought() {
        io.hilal.core.reco.als.AlsModel als = twoTastes();
        RecommendationModel model = model();
        CustomerSignals signals = newcomerBoughtCups(model);

        Rows rows =
                new RowsService()
                        .rows(
                                model,
                                als,
                                "newcomer",
                                RowsService.Context.HOME,
                                signals,
                                RowsFilter.NONE,
                                5,
                                1);

        assertThat(rows.personalized()).isTrue();
        assertThat(rows.rows())
                .filteredOn(row -> row.id().equals("picked-for-you"))
                .singleElement()
                .satisfies(
                        row -> {
                            assertThat(row.items().get(0).productId()).isEqualTo("lamp");
                            assertThat(row.items().get(0).reason())
                                    .isEqualTo("Goes with the Finjan cups you bought");
                        });
    }
}
