package io.hilal.core.campaigns.sending;

import io.hilal.core.campaigns.Campaign;
import io.hilal.core.campaigns.CampaignRequest;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.campaigns.SenderIdentity;
import io.hilal.core.campaigns.variants.VariantAllocator;
import io.hilal.core.program.ProgramHoldout;
import io.hilal.core.reco.RecommendationModel;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What every send of one pass over a run shares; {@code programHoldout} is the tenant's program
 * holdout as it is now (read again every few seconds, so a raised share holds back sends planned
 * before it).
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
        Supplier<ProgramHoldout> programHoldout) {}
