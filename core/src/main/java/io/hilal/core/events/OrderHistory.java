package io.hilal.core.events;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lines of the orders a batch of events names, as stored before the batch and as the batch adds
 * them, which decide what each order and refund event adds to {@code order_lines}. Every reader
 * (funnel, lift reports, audiences, training) counts an order by its id but adds revenue up over
 * its lines, so the lines must say what was bought, once:
 *
 * <ul>
 *   <li>an order event whose lines are those of an event of the same order (customer and order id)
 *       stored before is that order sent again under a new message id, and adds nothing. An order
 *       too big for one event comes in parts with different lines, and each part adds its own;
 *   <li>a refund without lines refunds the whole order: every line of it not refunded yet, at the
 *       order's prices. One naming no order of its customer means nothing and is rejected; one of
 *       an order refunded in full already adds nothing.
 * </ul>
 *
 * <p>A refund with lines is stored as sent, whatever order it names (a shop's refund may have an id
 * of its own). Events are judged in batch order, so an order and its refund may come in one batch.
 */
final class OrderHistory {
    /** What an event adds: its lines (none for most types), or why it is not stored. */
    record Judgement(String status, List<EventDao.LineRow> lines, String reason) {
        static Judgement stored(List<EventDao.LineRow> lines) {
            return new Judgement(EventResult.ACCEPTED, lines, null);
        }

        static Judgement duplicate(String reason) {
            return new Judgement(EventResult.DUPLICATE, List.of(), reason);
        }

        static Judgement rejected(String reason) {
            return new Judgement(EventResult.REJECTED, List.of(), reason);
        }
    }

    private record Order(String customerId, String orderId) {}

    /** What quantities of an order add up over: a product at a price (scale ignored). */
    private record Item(String productId, BigDecimal unitPrice, String currency) {
        static Item of(EventDao.LineRow line) {
            return new Item(
                    line.productId(), line.unitPrice().stripTrailingZeros(), line.currency());
        }
    }

    /** A line without its place: two events of an order are the same when these are. */
    private record Content(Item item, int quantity) {}

    /** Per order, each event's lines by message id, oldest first. */
    private final Map<Order, Map<String, List<EventDao.LineRow>>> orders;

    private OrderHistory(Map<Order, Map<String, List<EventDao.LineRow>>> orders) {
        this.orders = orders;
    }

    /** Whether the event is a refund of a whole order, which needs the order's lines. */
    static boolean refundsWholeOrder(EventRequest event) {
        return EventType.ORDER_REFUNDED.equals(event.type())
                && (event.lines() == null || event.lines().isEmpty());
    }

    /**
     * The stored lines of the orders these events name; read in the transaction that adds to them.
     */
    static OrderHistory load(EventDao dao, String tenantId, List<EventRequest> events) {
        Set<Order> named = new HashSet<>();
        Set<String> customerIds = new TreeSet<>();
        Set<String> orderIds = new TreeSet<>();
        for (EventRequest event : events) {
            if (isOrderOrRefund(event)) {
                named.add(new Order(event.customerId(), event.orderId()));
                customerIds.add(event.customerId());
                orderIds.add(event.orderId());
            }
        }
        OrderHistory history = new OrderHistory(new HashMap<>());
        if (!named.isEmpty()) {
            for (EventDao.LineRow line : dao.orderLines(tenantId, customerIds, orderIds)) {
                Order order = new Order(line.customerId(), line.orderId());
                if (named.contains(order)) {
                    history.add(order, line.messageId(), List.of(line));
                }
            }
        }
        return history;
    }

    /** What the event adds; the lines it adds count for the batch's later events. */
    Judgement judge(EventRequest event) {
        if (!isOrderOrRefund(event)) {
            return Judgement.stored(List.of());
        }
        Order order = new Order(event.customerId(), event.orderId());
        Map<String, List<EventDao.LineRow>> before = orders.getOrDefault(order, Map.of());
        List<EventDao.LineRow> lines;
        if (refundsWholeOrder(event)) {
            if (before.values().stream().flatMap(List::stream).noneMatch(l -> l.quantity() > 0)) {
                return Judgement.rejected(
                        "orderId "
                                + event.orderId()
                                + " names no order of customer "
                                + event.customerId()
                                + ": a refund without lines refunds a whole order, so the order"
                                + " must be sent first");
            }
            lines = rest(event, before);
            if (lines.isEmpty()) {
                return Judgement.duplicate(
                        "order " + event.orderId() + " is refunded in full already");
            }
        } else {
            lines = linesOf(event);
            if (EventType.ORDER_COMPLETED.equals(event.type())) {
                Map<Content, Integer> content = content(lines);
                for (Map.Entry<String, List<EventDao.LineRow>> earlier : before.entrySet()) {
                    if (content(earlier.getValue()).equals(content)) {
                        return Judgement.duplicate(
                                "order "
                                        + event.orderId()
                                        + " was stored before with the same lines (messageId "
                                        + earlier.getKey()
                                        + "); an order is counted once");
                    }
                }
            }
        }
        add(order, event.messageId(), lines);
        return Judgement.stored(lines);
    }

    private void add(Order order, String messageId, List<EventDao.LineRow> lines) {
        orders.computeIfAbsent(order, o -> new LinkedHashMap<>())
                .computeIfAbsent(messageId, m -> new ArrayList<>())
                .addAll(lines);
    }

    private static boolean isOrderOrRefund(EventRequest event) {
        return EventType.ORDER_COMPLETED.equals(event.type())
                || EventType.ORDER_REFUNDED.equals(event.type());
    }

    /** The event's own lines; a refund's quantities are negative. */
    private static List<EventDao.LineRow> linesOf(EventRequest event) {
        if (event.lines() == null) {
            return List.of();
        }
        boolean refund = EventType.ORDER_REFUNDED.equals(event.type());
        List<EventDao.LineRow> lines = new ArrayList<>();
        for (OrderLine line : event.lines()) {
            lines.add(
                    line(
                            event,
                            lines.size(),
                            line.productId(),
                            refund ? -line.quantity() : line.quantity(),
                            line.unitPrice(),
                            line.currency()));
        }
        return lines;
    }

    /** A refund of every unit of the order not refunded yet, item by item. */
    private static List<EventDao.LineRow> rest(
            EventRequest event, Map<String, List<EventDao.LineRow>> before) {
        Map<Item, Integer> left = new LinkedHashMap<>();
        for (List<EventDao.LineRow> lines : before.values()) {
            for (EventDao.LineRow line : lines) {
                left.merge(Item.of(line), line.quantity(), Integer::sum);
            }
        }
        List<EventDao.LineRow> refund = new ArrayList<>();
        left.forEach(
                (item, quantity) -> {
                    if (quantity > 0) {
                        refund.add(
                                line(
                                        event,
                                        refund.size(),
                                        item.productId(),
                                        -quantity,
                                        item.unitPrice(),
                                        item.currency()));
                    }
                });
        return refund;
    }

    /** The lines as a multiset, whatever their order. */
    private static Map<Content, Integer> content(List<EventDao.LineRow> lines) {
        Map<Content, Integer> content = new HashMap<>();
        for (EventDao.LineRow line : lines) {
            content.merge(new Content(Item.of(line), line.quantity()), 1, Integer::sum);
        }
        return content;
    }

    private static EventDao.LineRow line(
            EventRequest event,
            int lineNo,
            String productId,
            int quantity,
            BigDecimal unitPrice,
            String currency) {
        return new EventDao.LineRow(
                event.messageId(),
                lineNo,
                event.customerId(),
                event.orderId(),
                productId,
                quantity,
                unitPrice,
                currency,
                event.timestamp());
    }
}
