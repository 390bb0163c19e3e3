package io.jenkins.plugins.kubeplatform.common;

import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.function.Function;

/**
 * The store drop-down of the global configurations that choose where their state lives ({@code file}, the embedded
 * default, or {@code cluster}): the reservation ledger's {@code stickyIp.ledgerStore} and the edge VM inventory's
 * {@code edgeVms.inventoryStore}. Callers check the permission first, like {@link FormChecks}.
 */
public final class StoreForms {

    /** The stores, in the order the drop-down shows them (the default first). */
    static final String[] STORES = {"file", "cluster"};

    private StoreForms() {
    }

    /** The drop-down's items. */
    public static ListBoxModel items() {
        ListBoxModel items = new ListBoxModel();
        for (String store : STORES) {
            items.add(store);
        }
        return items;
    }

    /** The field's check: the error {@code parse} raises for {@code value} (naming the field), else OK. */
    public static FormValidation check(String value, Function<String, ?> parse) {
        try {
            parse.apply(value);
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
