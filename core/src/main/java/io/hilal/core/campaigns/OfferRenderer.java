package io.hilal.core.campaigns;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.WriteCode;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.catalog.PriceFormat;
import io.hilal.core.error.Checks;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.io.Writer;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Renders a campaign's offer for one customer: the subject, HTML and text Mustache templates filled
 * with the customer's recommendation rows (with their reasons), signed click and "Not for me" links
 * per product, the coupon code and the unsubscribe link. Every email gets a footer with the
 * sender's postal address and the unsubscribe link, whatever the template says, because the law
 * (CAN-SPAM, PECR) asks for both. HTML values are escaped; templates may not include partials.
 *
 * <p>Template variables: {@code customer.id}, {@code customer.email}, {@code customer.firstName},
 * {@code customer.attributes.*} (the customer's attributes, plain values only), {@code
 * campaign.name}, {@code couponCode}, {@code unsubscribeUrl}, {@code sender.name}, {@code
 * sender.postalAddress}, {@code rows} (each with {@code title}, {@code evidence}, {@code items}),
 * {@code products} (all items: {@code productId}, {@code title}, {@code reason}, {@code price},
 * {@code imageUrl}, {@code clickUrl}, {@code notForMeUrl}), {@code hasProducts}, and {@code
 * productBlock}: a ready-made block (HTML in the HTML template, use it unescaped as three braces;
 * text in the text one).
 */
public final class OfferRenderer {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final DefaultMustacheFactory HTML = new NoPartials(true);
    private static final DefaultMustacheFactory TEXT = new NoPartials(false);

    static {
        // Templates see plain values only: {{customer.email.toUpperCase}} or {{rows.getClass}}
        // must not call into Java.
        HTML.setObjectHandler(new PlainValues());
        TEXT.setObjectHandler(new PlainValues());
    }

    private static final Mustache HTML_BLOCK =
            HTML.compile(
                    new StringReader(
                            "{{#rows}}<h3 style=\"margin:16px 0 4px\">{{title}}</h3>"
                                    + "<table role=\"presentation\" cellpadding=\"6\">{{#items}}<tr>"
                                    + "<td>{{#clickUrl}}<a href=\"{{clickUrl}}\">{{/clickUrl}}"
                                    + "<strong>{{title}}</strong>{{#clickUrl}}</a>{{/clickUrl}}"
                                    + "{{#price}} · {{price}}{{/price}}<br>"
                                    + "<span style=\"color:#5b6475\">{{reason}}</span></td>"
                                    + "<td><a href=\"{{notForMeUrl}}\" style=\"color:#5b6475;"
                                    + "font-size:12px\">Not for me</a></td></tr>{{/items}}"
                                    + "</table>{{/rows}}"),
                    "productBlock.html");
    private static final String FOOTER_START =
            "<hr style=\"border:0;border-top:1px solid #ddd\"><p style=\"font-size:12px;"
                    + "color:#5b6475\">";

    /**
     * A campaign's compiled templates, and its per-language variants by lower-case language tag.
     */
    public record Templates(
            Mustache subject, Mustache html, Mustache text, Map<String, Templates> locales) {
        public Templates(Mustache subject, Mustache html, Mustache text) {
            this(subject, html, text, Map.of());
        }

        /**
         * Whether any of these templates (the language variants' too) may show the customer's
         * products: whether one names {@code rows}, {@code products}, {@code hasProducts} or {@code
         * productBlock}, at any depth (a name in a section falls back to the top scope), or the
         * whole scope ({@code {{.}}}). When none does, an email renders the same with no rows at
         * all, so the sender can skip the recommendation queries of every email.
         */
        public boolean showsProducts() {
            if (namesProducts(subject.getCodes())
                    || namesProducts(html.getCodes())
                    || namesProducts(text.getCodes())) {
                return true;
            }
            for (Templates variant : locales.values()) {
                if (variant.showsProducts()) {
                    return true;
                }
            }
            return false;
        }

        /** The variant for {@code locale} ("ar-SA", then "ar"), or null when there is none. */
        Templates variant(Locale locale) {
            if (locale == null || locales.isEmpty()) {
                return null;
            }
            Templates exact = locales.get(locale.toLanguageTag().toLowerCase(Locale.ROOT));
            return exact != null
                    ? exact
                    : locales.get(locale.getLanguage().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * What the templates know of the customer beyond the id and address: their locale (a language
     * tag, or null) and the attributes the merchant sent (plain values only: text, numbers,
     * booleans; anything nested is left out).
     */
    public record Personal(String locale, Map<String, Object> attributes) {
        public static final Personal NONE = new Personal(null, Map.of());
    }

    /** The template names whose values come from the customer's recommendation rows. */
    static final Set<String> PRODUCT_NAMES =
            Set.of("rows", "products", "hasProducts", "productBlock");

    /**
     * Whether a compiled template's codes name a product value anywhere (see {@link
     * Templates#showsProducts}). Only literal text is skipped: a comment or anything else whose
     * name looks like one counts, which at worst runs the queries for nothing.
     */
    static boolean namesProducts(Code[] codes) {
        if (codes == null) {
            return false;
        }
        for (Code code : codes) {
            if (!(code instanceof WriteCode)) {
                String name = code.getName();
                if (name != null) {
                    String first = name.strip();
                    int dot = first.indexOf('.');
                    if (first.equals(".") || first.isEmpty()) {
                        return true;
                    }
                    if (dot > 0) {
                        first = first.substring(0, dot);
                    }
                    if (PRODUCT_NAMES.contains(first.strip())) {
                        return true;
                    }
                }
            }
            if (namesProducts(code.getCodes())) {
                return true;
            }
        }
        return false;
    }

    /** Languages written right to left, whose emails get {@code dir="rtl"}. */
    static final Set<String> RIGHT_TO_LEFT =
            Set.of("ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb");

    /** What the product block shows of a product beyond the model's title. */
    public record ProductCard(
            String productId,
            String title,
            BigDecimal price,
            String currency,
            String imageUrl,
            String productUrl) {}

    /** A message ready for the relay (and for preview). */
    public record RenderedEmail(
            String from,
            String to,
            String replyTo,
            String subject,
            String html,
            String text,
            Map<String, String> headers) {}

    /** Everything one customer's email is made of. */
    public record Input(
            MailLinks.Recipient recipient,
            String email,
            String campaignName,
            String couponCode,
            Rows rows,
            Map<String, ProductCard> cards,
            SenderIdentity sender,
            String messageId,
            Personal personal) {
        /** An email that knows nothing of the customer but the id and address. */
        public Input(
                MailLinks.Recipient recipient,
                String email,
                String campaignName,
                String couponCode,
                Rows rows,
                Map<String, ProductCard> cards,
                SenderIdentity sender,
                String messageId) {
            this(
                    recipient,
                    email,
                    campaignName,
                    couponCode,
                    rows,
                    cards,
                    sender,
                    messageId,
                    Personal.NONE);
        }
    }

    /** Adds a failure per template that does not compile. */
    public static void checkTemplates(Checks checks, CampaignRequest.Offer offer) {
        check(checks, "offer.subject", offer.subject(), TEXT);
        check(checks, "offer.html", offer.html(), HTML);
        check(checks, "offer.text", offer.text(), TEXT);
        if (offer.locales() != null) {
            for (Map.Entry<String, CampaignRequest.LocaleVariant> variant :
                    offer.locales().entrySet()) {
                CampaignRequest.LocaleVariant v = variant.getValue();
                if (v != null) {
                    String field = "offer.locales." + variant.getKey();
                    check(checks, field + ".subject", v.subject(), TEXT);
                    check(checks, field + ".html", v.html(), HTML);
                    check(checks, field + ".text", v.text(), TEXT);
                }
            }
        }
        if (offer.variants() != null) {
            for (int i = 0; i < offer.variants().size(); i++) {
                CampaignRequest.Variant v = offer.variants().get(i);
                if (v != null) {
                    check(checks, "offer.variants[" + i + "].subject", v.subject(), TEXT);
                }
            }
        }
    }

    /** A BCP 47 tag naming a language, optionally with a region: {@code ar}, {@code ar-SA}. */
    public static boolean isLanguageTag(String tag) {
        return tag != null
                && tag.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
                && !Locale.forLanguageTag(tag).getLanguage().isEmpty();
    }

    private static void check(
            Checks checks, String field, String template, DefaultMustacheFactory factory) {
        if (template == null) {
            return;
        }
        try {
            factory.compile(new StringReader(template), field);
        } catch (MustacheException e) {
            checks.fail(field, "is not a valid Mustache template: " + e.getMessage());
        }
    }

    public static Templates compile(CampaignRequest.Offer offer) {
        Map<String, Templates> locales = new HashMap<>();
        if (offer.locales() != null) {
            for (Map.Entry<String, CampaignRequest.LocaleVariant> variant :
                    offer.locales().entrySet()) {
                CampaignRequest.LocaleVariant v = variant.getValue();
                String tag = variant.getKey();
                locales.put(
                        Locale.forLanguageTag(tag).toLanguageTag().toLowerCase(Locale.ROOT),
                        new Templates(
                                TEXT.compile(
                                        new StringReader(
                                                v.subject() == null
                                                        ? offer.subject()
                                                        : v.subject()),
                                        "subject." + tag),
                                HTML.compile(
                                        new StringReader(
                                                v.html() == null ? offer.html() : v.html()),
                                        "html." + tag),
                                TEXT.compile(
                                        new StringReader(
                                                v.text() == null ? offer.text() : v.text()),
                                        "text." + tag)));
            }
        }
        return new Templates(
                TEXT.compile(new StringReader(offer.subject()), "subject"),
                HTML.compile(new StringReader(offer.html()), "html"),
                TEXT.compile(new StringReader(offer.text()), "text"),
                Map.copyOf(locales));
    }

    private final MailLinks links;

    public OfferRenderer(MailLinks links) {
        this.links = links;
    }

    public RenderedEmail render(Templates campaignTemplates, Input input) {
        Personal personal = input.personal() == null ? Personal.NONE : input.personal();
        Locale locale =
                personal.locale() != null && isLanguageTag(personal.locale())
                        ? Locale.forLanguageTag(personal.locale())
                        : null;
        Templates variant = campaignTemplates.variant(locale);
        Templates templates = variant == null ? campaignTemplates : variant;
        MailLinks.Recipient recipient = input.recipient();
        MailLinks.Unsubscribe unsubscribe = links.unsubscribe(recipient);
        String unsubscribeUrl = unsubscribe.url();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> products = new ArrayList<>();
        for (Rows.Row row : input.rows().rows()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (ScoredItem item : row.items()) {
                Map<String, Object> product = product(input, item, recipient, locale);
                items.add(product);
                products.add(product);
            }
            rows.add(Map.of("title", row.title(), "evidence", row.evidence(), "items", items));
        }
        Map<String, Object> scope = new HashMap<>();
        scope.put("customer", customer(recipient.customerId(), input.email(), personal));
        scope.put("campaign", Map.of("name", input.campaignName()));
        if (input.couponCode() != null) {
            scope.put("couponCode", input.couponCode());
        }
        scope.put("unsubscribeUrl", unsubscribeUrl);
        scope.put(
                "sender",
                Map.of(
                        "name", input.sender().fromName(),
                        "postalAddress", input.sender().postalAddress()));
        scope.put("rows", rows);
        scope.put("products", products);
        scope.put("hasProducts", !products.isEmpty());

        scope.put("productBlock", htmlBlock(rows));
        String html = run(templates.html(), scope);
        scope.put("productBlock", textBlock(rows));
        String text = run(templates.text(), scope);
        String subject = oneLine(run(templates.subject(), scope));

        // The customer's language goes on the email when it is written in it: a variant for it, or
        // a main offer in a right-to-left script for a customer who reads one. An offer in English
        // to an Arabic reader stays English, left to right ("Hello!", not "!Hello").
        if (locale != null
                && (variant != null
                        || (RIGHT_TO_LEFT.contains(locale.getLanguage())
                                && writtenRightToLeft(subject + "\n" + text)))) {
            html = withLanguage(html, locale);
        }
        html = withHtmlFooter(html, input.sender().postalAddress(), unsubscribeUrl);
        text =
                text.stripTrailing()
                        + "\n\n--\n"
                        + oneLine(input.sender().fromName())
                        + ", "
                        + input.sender().postalAddress()
                        + "\nUnsubscribe: "
                        + unsubscribeUrl
                        + "\n";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Message-ID", input.messageId());
        headers.putAll(unsubscribe.headers());
        headers.put("X-Hilal-Campaign", recipient.campaignId());
        return new RenderedEmail(
                fromHeader(input.sender()),
                input.email(),
                input.sender().replyTo(),
                subject,
                html,
                text,
                headers);
    }

    /**
     * The From value: the sender's name on one line (a CR or LF could start a header of its own)
     * and quoted or encoded as RFC 5322 needs, so a comma or a colon in a shop's name stays in it.
     */
    static String fromHeader(SenderIdentity sender) {
        try {
            return new InternetAddress(
                            sender.fromAddress(),
                            oneLine(sender.fromName()),
                            StandardCharsets.UTF_8.name())
                    .toUnicodeString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("every JVM has UTF-8", e);
        }
    }

    /**
     * Whether the shop wrote this text right to left: its first letter of a strong direction (the
     * Unicode bidirectional rule for a paragraph's direction) is Arabic, Hebrew or the like. A text
     * with no letter at all, say only a coupon code's digits, counts as right to left, so that the
     * customer's own direction decides.
     */
    static boolean writtenRightToLeft(String text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            switch (Character.getDirectionality(codePoint)) {
                case Character.DIRECTIONALITY_LEFT_TO_RIGHT:
                    return false;
                case Character.DIRECTIONALITY_RIGHT_TO_LEFT,
                        Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC:
                    return true;
                default:
                    i += Character.charCount(codePoint);
            }
        }
        return true;
    }

    /**
     * The {@code customer} the templates see: id, email, {@code firstName} (the {@code firstName}
     * or {@code first_name} attribute) and {@code attributes}, all plain values.
     */
    static Map<String, Object> customer(String customerId, String email, Personal personal) {
        Map<String, Object> customer = new HashMap<>();
        customer.put("id", customerId);
        customer.put("email", email);
        Map<String, Object> attributes = new HashMap<>();
        if (personal.attributes() != null) {
            for (Map.Entry<String, Object> attribute : personal.attributes().entrySet()) {
                Object value = attribute.getValue();
                if (value instanceof String
                        || value instanceof Number
                        || value instanceof Boolean) {
                    attributes.put(attribute.getKey(), value);
                }
            }
        }
        Object firstName =
                attributes.containsKey("firstName")
                        ? attributes.get("firstName")
                        : attributes.get("first_name");
        if (firstName instanceof String name && !name.isBlank()) {
            customer.put("firstName", oneLine(name));
        }
        customer.put("attributes", attributes);
        return customer;
    }

    /**
     * The email's language on its {@code <html>} element, and right-to-left for Arabic and the
     * like, so that mail clients lay it out and read it aloud in that language. A template without
     * an {@code <html>} element is made a document with one; attributes the template set stay.
     */
    static String withLanguage(String html, Locale locale) {
        String lang = locale.toLanguageTag();
        String dir = RIGHT_TO_LEFT.contains(locale.getLanguage()) ? "rtl" : "ltr";
        java.util.regex.Matcher tag =
                Pattern.compile("<html(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE).matcher(html);
        if (!tag.find()) {
            return "<!doctype html><html lang=\""
                    + lang
                    + "\" dir=\""
                    + dir
                    + "\"><head><meta charset=\"utf-8\"></head><body>"
                    + html
                    + "</body></html>";
        }
        String attributes = tag.group(1) == null ? "" : tag.group(1);
        String lower = attributes.toLowerCase(Locale.ROOT);
        StringBuilder added = new StringBuilder();
        if (!lower.matches(".*\\slang\\s*=.*")) {
            added.append(" lang=\"").append(lang).append('"');
        }
        if (!lower.matches(".*\\sdir\\s*=.*")) {
            added.append(" dir=\"").append(dir).append('"');
        }
        return html.substring(0, tag.start())
                + "<html"
                + added
                + attributes
                + ">"
                + html.substring(tag.end());
    }

    private Map<String, Object> product(
            Input input, ScoredItem item, MailLinks.Recipient recipient, Locale locale) {
        ProductCard card = input.cards().get(item.productId());
        Map<String, Object> product = new HashMap<>();
        product.put("productId", item.productId());
        product.put(
                "title", card == null || card.title() == null ? item.productId() : card.title());
        product.put("reason", item.reason());
        if (card != null && card.price() != null) {
            // In the customer's own way of writing prices when their locale is known.
            String formatted =
                    locale == null
                            ? null
                            : PriceFormat.format(card.price(), card.currency(), locale);
            product.put(
                    "price",
                    formatted != null
                            ? formatted
                            : card.price().stripTrailingZeros().toPlainString()
                                    + (card.currency() == null ? "" : " " + card.currency()));
        }
        if (card != null && card.imageUrl() != null) {
            product.put("imageUrl", card.imageUrl());
        }
        String target =
                card != null && card.productUrl() != null
                        ? card.productUrl()
                        : input.sender().websiteUrl();
        if (target != null) {
            product.put("clickUrl", links.clickUrl(recipient, item.productId(), target));
        }
        product.put("notForMeUrl", links.notForMeUrl(recipient, item.productId()));
        return product;
    }

    private static String htmlBlock(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        return run(HTML_BLOCK, Map.of("rows", rows));
    }

    /** Plain text, built by hand: Mustache's standalone-line rules would eat the newlines. */
    @SuppressWarnings("unchecked")
    private static String textBlock(List<Map<String, Object>> rows) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> row : rows) {
            text.append(row.get("title")).append('\n');
            for (Map<String, Object> item : (List<Map<String, Object>>) row.get("items")) {
                text.append("- ").append(item.get("title"));
                if (item.get("price") != null) {
                    text.append(" (").append(item.get("price")).append(')');
                }
                text.append(": ").append(item.get("reason")).append('\n');
                if (item.get("clickUrl") != null) {
                    text.append("  ").append(item.get("clickUrl")).append('\n');
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    /**
     * Puts the footer at the end of the body, where an HTML parser (and so every mail client) sees
     * it. It goes before the template's last {@code </body>}; when the parsed result shows it
     * anywhere but as a paragraph of the body (an unclosed comment or element, a "</body>" inside a
     * comment, a {@code <template>} or {@code <noscript>} around the end), the template's own
     * parsed document gets the footer appended to its body instead. The footer's two values are
     * escaped with the templates' own HTML escaping.
     */
    private static String withHtmlFooter(String html, String postalAddress, String unsubscribeUrl) {
        StringWriter out = new StringWriter(FOOTER_START.length() + 160);
        out.write(FOOTER_START);
        HTML.encode(postalAddress, out);
        out.write(" · <a href=\"");
        HTML.encode(unsubscribeUrl, out);
        out.write("\">Unsubscribe</a></p>");
        String footer = out.toString();
        int body = lastIndexOfIgnoreCase(html, "</body>");
        String placed =
                body < 0 ? html + footer : html.substring(0, body) + footer + html.substring(body);
        if (footerInBody(Jsoup.parse(placed), unsubscribeUrl)) {
            return placed;
        }
        Document document = Jsoup.parse(html);
        document.outputSettings().prettyPrint(false);
        document.body().append(footer);
        return document.outerHtml();
    }

    /** Whether the document's last unsubscribe link is the footer's, a paragraph of the body. */
    static boolean footerInBody(Document document, String unsubscribeUrl) {
        Element last = null;
        for (Element link : document.getElementsByTag("a")) {
            if (unsubscribeUrl.equals(link.attr("href"))) {
                last = link;
            }
        }
        return last != null
                && "Unsubscribe".equals(last.text())
                && last.parent() != null
                && "p".equals(last.parent().normalName())
                && document.body().equals(last.parent().parent())
                && last.parent().previousElementSibling() != null
                && "hr".equals(last.parent().previousElementSibling().normalName());
    }

    /**
     * The subject on one line: runs of whitespace become one space, none at the ends. Most subjects
     * have nothing to collapse, so the regular expression runs only when one does.
     */
    static String oneLine(String subject) {
        boolean space = false;
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            boolean whitespace =
                    c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
            if (whitespace && (c != ' ' || space)) {
                return WHITESPACE.matcher(subject).replaceAll(" ").strip();
            }
            space = whitespace;
        }
        return subject.strip();
    }

    private static int lastIndexOfIgnoreCase(String text, String part) {
        for (int at = text.length() - part.length(); at >= 0; at--) {
            if (text.regionMatches(true, at, part, 0, part.length())) {
                return at;
            }
        }
        return -1;
    }

    private static String run(Mustache mustache, Object scope) {
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, scope).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Resolves names in maps (the scope is built of maps, lists, strings, numbers and booleans) and
     * never through a method or field, so a template cannot call {@code toUpperCase}, {@code
     * getClass} or any other method of a value.
     */
    static final class PlainValues extends ReflectionObjectHandler {
        @Override
        protected void checkMethod(Method member) throws NoSuchMethodException {
            throw new NoSuchMethodException("templates see plain values only");
        }

        @Override
        protected void checkField(Field member) throws NoSuchFieldException {
            throw new NoSuchFieldException("templates see plain values only");
        }
    }

    /** Mustache without partials (a template must not read files) and, for text, no escaping. */
    private static final class NoPartials extends DefaultMustacheFactory {
        private final boolean escapeHtml;

        NoPartials(boolean escapeHtml) {
            this.escapeHtml = escapeHtml;
        }

        @Override
        public Reader getReader(String resourceName) {
            throw new MustacheException("partials are not supported: " + resourceName);
        }

        @Override
        public void encode(String value, Writer writer) {
            if (escapeHtml) {
                super.encode(value, writer);
            } else {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new MustacheException("cannot write", e);
                }
            }
        }
    }
}
