package io.hilal.sdk;

import io.hilal.sdk.internal.Api;
import io.hilal.sdk.model.Campaign;
import io.hilal.sdk.model.CampaignFunnel;
import io.hilal.sdk.model.CampaignPreview;
import io.hilal.sdk.model.Ledger;
import io.hilal.sdk.model.LiftOverview;
import io.hilal.sdk.model.LiftReport;
import io.hilal.sdk.model.Page;
import io.hilal.sdk.model.ProgramHoldout;
import io.hilal.sdk.model.ProgramReport;
import io.hilal.sdk.model.UnknownSends;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Campaigns and their lift, and the tenant's program holdout: {@code hilal.campaigns()}.
 * Thread-safe. Every {@code POST} carries an {@code Idempotency-Key}, a random one its retries
 * share or yours from {@link RequestOptions}, so a create or launch you repeat (after a timeout, or
 * a restart) acts once.
 */
public final class CampaignService {
    private final Api api;

    CampaignService(Api api) {
        this.api = api;
    }

    /**
     * Creates a campaign as a {@code draft} ({@code POST /v1/campaigns}).
     *
     * @param campaign the definition
     * @param options overrides of the client's settings, e.g. your own idempotency key
     * @return the campaign with Hilal's defaults filled in
     * @throws HilalException.InvalidRequestException when a field is invalid
     */
    public Campaign create(CampaignParams campaign, RequestOptions options) {
        return api.call("POST", "v1/campaigns", campaign, options, Campaign.class);
    }

    /**
     * Creates a campaign as a {@code draft}.
     *
     * @param campaign the definition
     * @return the campaign with Hilal's defaults filled in
     */
    public Campaign create(CampaignParams campaign) {
        return create(campaign, RequestOptions.DEFAULT);
    }

    /**
     * {@link #create(CampaignParams, RequestOptions)} on the client's executor.
     *
     * @param campaign the definition
     * @param options overrides of the client's settings
     * @return the campaign
     */
    public CompletableFuture<Campaign> createAsync(
            CampaignParams campaign, RequestOptions options) {
        return api.async(() -> create(campaign, options));
    }

    /**
     * Replaces a draft's definition ({@code PUT /v1/campaigns/{id}}).
     *
     * @param campaignId the campaign's id
     * @param campaign the whole new definition
     * @param options overrides of the client's settings
     * @return the campaign as stored
     * @throws HilalException.InvalidRequestException with code {@code campaign_not_draft} when it
     *     was launched, or when a field is invalid
     */
    public Campaign update(String campaignId, CampaignParams campaign, RequestOptions options) {
        return api.call("PUT", path(campaignId, ""), campaign, options, Campaign.class);
    }

    /**
     * One page of the tenant's campaigns, newest first ({@code GET /v1/campaigns}).
     *
     * @param params the status filter, page size and cursor
     * @param options overrides of the client's settings
     * @return the page
     */
    public Page<Campaign> list(CampaignListParams params, RequestOptions options) {
        Objects.requireNonNull(params, "params");
        String path =
                "v1/campaigns"
                        + new Api.Query()
                                .add("status", params.status())
                                .add("limit", params.limit())
                                .add("cursor", params.cursor());
        return api.call("GET", path, null, options, api.pageOf(Campaign.class));
    }

    /**
     * One page of the tenant's campaigns, newest first.
     *
     * @param params the status filter, page size and cursor ({@link CampaignListParams#ALL} for the
     *     first page of all)
     * @return the page
     */
    public Page<Campaign> list(CampaignListParams params) {
        return list(params, RequestOptions.DEFAULT);
    }

    /**
     * Every campaign matching {@code params}, newest first, fetched a page at a time as the
     * iteration reaches it.
     *
     * @param params the status filter and page size (and the first page's cursor)
     * @return the campaigns
     */
    public Iterable<Campaign> listAll(CampaignListParams params) {
        return Api.autoPaging(
                params.cursor(),
                cursor -> list(new CampaignListParams(params.status(), params.limit(), cursor)));
    }

    /**
     * One campaign ({@code GET /v1/campaigns/{id}}).
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public Campaign retrieve(String campaignId, RequestOptions options) {
        return api.call("GET", path(campaignId, ""), null, options, Campaign.class);
    }

    /**
     * One campaign.
     *
     * @param campaignId the campaign's id
     * @return the campaign
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public Campaign retrieve(String campaignId) {
        return retrieve(campaignId, RequestOptions.DEFAULT);
    }

    /**
     * What the campaign would do if launched now, with the email rendered for one customer ({@code
     * POST /v1/campaigns/{id}/preview}). Sends nothing.
     *
     * @param campaignId the campaign's id
     * @param customerId the customer to render the email for, or null for the audience's first
     * @param options overrides of the client's settings
     * @return the preview
     */
    public CampaignPreview preview(String campaignId, String customerId, RequestOptions options) {
        return api.call(
                "POST",
                path(campaignId, "/preview"),
                customerId == null ? Map.of() : Map.of("customerId", customerId),
                options,
                CampaignPreview.class);
    }

    /**
     * Launches a draft ({@code POST /v1/campaigns/{id}/launch}): plans one send per customer of the
     * audience and makes it {@code scheduled}.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign, now {@code scheduled} (or {@code completed} for an empty audience)
     * @throws HilalException.InvalidRequestException with code {@code campaign_not_draft} or {@code
     *     sender_identity_missing}
     */
    public Campaign launch(String campaignId, RequestOptions options) {
        return transition(campaignId, "launch", options);
    }

    /**
     * Pauses a scheduled campaign.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign, now {@code paused}
     */
    public Campaign pause(String campaignId, RequestOptions options) {
        return transition(campaignId, "pause", options);
    }

    /**
     * Resumes a paused campaign; sends whose validity ran out meanwhile expire.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign, now {@code scheduled}
     */
    public Campaign resume(String campaignId, RequestOptions options) {
        return transition(campaignId, "resume", options);
    }

    /**
     * Cancels a campaign: what has not gone out expires.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the campaign, now {@code cancelled}
     */
    public Campaign cancel(String campaignId, RequestOptions options) {
        return transition(campaignId, "cancel", options);
    }

    /**
     * A campaign's send ledger in counts by state, overall and per run.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the ledger
     */
    public Ledger ledger(String campaignId, RequestOptions options) {
        return api.call("GET", path(campaignId, "/ledger"), null, options, Ledger.class);
    }

    /**
     * A campaign's sends of unknown fate that wait for a decision ({@code GET
     * /v1/campaigns/{id}/unknown-sends}): sends in flight when a worker stopped, which are not sent
     * again unless you decide so.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return the sends waiting for a decision, by run and worker
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public UnknownSends unknownSends(String campaignId, RequestOptions options) {
        return api.call(
                "GET", path(campaignId, "/unknown-sends"), null, options, UnknownSends.class);
    }

    /**
     * Sends a campaign's sends of unknown fate again ({@code POST
     * /v1/campaigns/{id}/unknown-sends/resend}): they are planned again, due now, and a completed
     * campaign is scheduled until they are sent. A customer whose first copy did reach the relay
     * gets a second one, with the same Message-ID.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return what the decision did
     * @throws HilalException.InvalidRequestException with code {@code campaign_cancelled} (status
     *     409) for a cancelled campaign, whose sends of unknown fate can only be closed
     */
    public UnknownSends.Decision resendUnknownSends(String campaignId, RequestOptions options) {
        return api.call(
                "POST",
                path(campaignId, "/unknown-sends/resend"),
                null,
                options,
                UnknownSends.Decision.class);
    }

    /**
     * Leaves a campaign's sends of unknown fate unsent ({@code POST
     * /v1/campaigns/{id}/unknown-sends/close}): they keep their state (they may have gone out) and
     * stop waiting for a decision.
     *
     * @param campaignId the campaign's id
     * @param options overrides of the client's settings
     * @return what the decision did
     */
    public UnknownSends.Decision closeUnknownSends(String campaignId, RequestOptions options) {
        return api.call(
                "POST",
                path(campaignId, "/unknown-sends/close"),
                null,
                options,
                UnknownSends.Decision.class);
    }

    /**
     * A campaign's funnel ({@code GET /v1/campaigns/{id}/funnel}) with orders and revenue counted
     * within the service's default window (30 days unless configured).
     *
     * @param campaignId the campaign's id
     * @return the funnel
     * @throws HilalException.NotFoundException when there is no such campaign (or it is another
     *     tenant's)
     */
    public CampaignFunnel funnel(String campaignId) {
        return api.call(
                "GET",
                path(campaignId, "/funnel"),
                null,
                RequestOptions.DEFAULT,
                CampaignFunnel.class);
    }

    /**
     * A campaign's funnel with orders and revenue counted within {@code windowDays} of each
     * customer's send.
     *
     * @param campaignId the campaign's id
     * @param windowDays 1 to 365
     * @param options overrides of the client's settings
     * @return the funnel
     * @throws HilalException.NotFoundException when there is no such campaign
     */
    public CampaignFunnel funnel(String campaignId, int windowDays, RequestOptions options) {
        return api.call(
                "GET",
                path(campaignId, "/funnel") + new Api.Query().add("window", windowDays),
                null,
                options,
                CampaignFunnel.class);
    }

    /**
     * A launched campaign's lift over its holdout in a window of days ({@code GET
     * /v1/campaigns/{id}/lift}).
     *
     * @param campaignId the campaign's id
     * @param windowDays 1 to 365
     * @param options overrides of the client's settings
     * @return the report
     * @throws HilalException.NotFoundException with code {@code not_found} when the campaign has no
     *     planned sends
     */
    public LiftReport lift(String campaignId, int windowDays, RequestOptions options) {
        return api.call(
                "GET",
                path(campaignId, "/lift") + new Api.Query().add("window", windowDays),
                null,
                options,
                LiftReport.class);
    }

    /**
     * The tenant's lift across campaigns ({@code GET /v1/lift}).
     *
     * @param options overrides of the client's settings
     * @return the overview
     */
    public LiftOverview liftOverview(RequestOptions options) {
        return api.call("GET", "v1/lift", null, options, LiftOverview.class);
    }

    /**
     * The tenant's program holdout ({@code GET /v1/program-holdout}), with the client's settings.
     *
     * @return the setting ({@code on} false when never set)
     */
    public ProgramHoldout programHoldout() {
        return programHoldout(RequestOptions.DEFAULT);
    }

    /**
     * Sets the share of customers no campaign or journey emails ({@code PUT /v1/program-holdout}),
     * with the client's settings.
     *
     * @param share 0 (off) to 0.2
     * @return the setting as stored
     * @throws HilalException.InvalidRequestException with field {@code share} outside 0 to 0.2
     */
    public ProgramHoldout updateProgramHoldout(double share) {
        return updateProgramHoldout(share, RequestOptions.DEFAULT);
    }

    /**
     * The whole email program against the program holdout ({@code GET /v1/program-holdout/report}),
     * with the client's settings.
     *
     * @return the report ({@code on} false when the tenant keeps no program holdout)
     */
    public ProgramReport programReport() {
        return programReport(RequestOptions.DEFAULT);
    }

    /**
     * The tenant's program holdout ({@code GET /v1/program-holdout}).
     *
     * @param options overrides of the client's settings
     * @return the setting ({@code on} false when never set)
     */
    public ProgramHoldout programHoldout(RequestOptions options) {
        return api.call("GET", "v1/program-holdout", null, options, ProgramHoldout.class);
    }

    /**
     * Sets the share of customers no campaign or journey emails ({@code PUT /v1/program-holdout});
     * a new share restarts the measurement, a larger one keeps who was held out.
     *
     * @param share 0 (off) to 0.2
     * @param options overrides of the client's settings
     * @return the setting as stored
     * @throws HilalException.InvalidRequestException with field {@code share} outside 0 to 0.2
     */
    public ProgramHoldout updateProgramHoldout(double share, RequestOptions options) {
        return api.call(
                "PUT", "v1/program-holdout", Map.of("share", share), options, ProgramHoldout.class);
    }

    /**
     * The whole email program against the program holdout ({@code GET /v1/program-holdout/report}).
     *
     * @param options overrides of the client's settings
     * @return the report ({@code on} false when the tenant keeps no program holdout)
     */
    public ProgramReport programReport(RequestOptions options) {
        return api.call("GET", "v1/program-holdout/report", null, options, ProgramReport.class);
    }

    private Campaign transition(String campaignId, String action, RequestOptions options) {
        return api.call("POST", path(campaignId, "/" + action), null, options, Campaign.class);
    }

    private static String path(String campaignId, String rest) {
        return "v1/campaigns/" + Api.encode(campaignId) + rest;
    }
}
