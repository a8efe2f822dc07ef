package io.hilal.core.lift;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * One assigned customer's purchases, counted the way every lift report counts them: an order is an
 * order id with at least one purchased line (positive quantity) in the window; revenue is the sum
 * of quantity × unit price over every line in the window, so refund lines (negative quantity) are
 * netted against it. The pre-period, the same length of time before the planned send, gives the
 * CUPED covariates. Times outside both periods are ignored.
 */
public final class CustomerTally {
    private final Instant preStart;
    private final Instant start;
    private final Instant end;
    private final Set<String> orders = new HashSet<>();
    private final Set<String> preOrders = new HashSet<>();
    private double revenue;
    private double preRevenue;

    /** Window {@code [start, end)}, pre-period {@code [preStart, start)}. */
    public CustomerTally(Instant preStart, Instant start, Instant end) {
        this.preStart = preStart;
        this.start = start;
        this.end = end;
    }

    public void add(String orderId, long quantity, double unitPrice, Instant at) {
        if (at.isBefore(preStart) || !at.isBefore(end)) {
            return;
        }
        boolean in = !at.isBefore(start);
        if (in) {
            revenue += quantity * unitPrice;
        } else {
            preRevenue += quantity * unitPrice;
        }
        if (quantity > 0) {
            (in ? orders : preOrders).add(orderId);
        }
    }

    public int orders() {
        return orders.size();
    }

    public double revenue() {
        return revenue;
    }

    public int preOrders() {
        return preOrders.size();
    }

    public double preRevenue() {
        return preRevenue;
    }

    /** The analysis input for customers in this order. */
    public static LiftAnalysis.Outcomes outcomes(java.util.List<CustomerTally> customers) {
        int n = customers.size();
        double[] orders = new double[n];
        double[] revenue = new double[n];
        double[] preOrders = new double[n];
        double[] preRevenue = new double[n];
        for (int i = 0; i < n; i++) {
            CustomerTally customer = customers.get(i);
            orders[i] = customer.orders();
            revenue[i] = customer.revenue();
            preOrders[i] = customer.preOrders();
            preRevenue[i] = customer.preRevenue();
        }
        return new LiftAnalysis.Outcomes(orders, revenue, preOrders, preRevenue);
    }
}
