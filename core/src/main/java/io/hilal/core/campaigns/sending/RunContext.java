package io.hilal.core.campaigns.sending;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.variants.VariantAllocator;
import io.hilal.core.program.ProgramHoldout;
import io.hilal.core.reco.RecommendationModel;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every send of one pass over a run shares; {@code programHoldout} is the tenant's program
 * holdout as it is now (read again every few seconds, so a raised share holds back sends planned
 * before it); {@code frozen} says whether a move has frozen the tenant since (no more claims then),
 * and {@code unrecorded} keeps the outcomes a frozen tenant's ledger could not take, for after the
 * move's switch.
 */
record RunContext(
        SendLedger.Run run,
        Campaign campaign,
        OfferRenderer.Templates templates,
        RecommendationModel model,
        SenderIdentity sender,
        CampaignRequest.Limits limits,
        ZoneId tenantZone,
        Map<String, OfferRenderer.ProductCard> cards,
        SendPace pace,
        Pacer pacer,
        SendCounters counters,
        AtomicBoolean relayDown,
        VariantAllocator variants,
        Supplier<ProgramHoldout> programHoldout,
        BooleanSupplier frozen,
        Consumer<List<SendLedger.Outcome>> unrecorded) {}
