package io.hilal.service.dashboard;

import io.hilal.core.campaigns.SenderIdentity;

/**
 * The campaigns page's line about the sender: who the mail is from and the postal address, or that
 * none is set yet, so that a launch refused for it comes as no surprise.
 */
record SenderLine(boolean senderSet, String senderFrom, String senderPostalAddress) {

    static SenderLine of(SenderIdentity sender) {
        if (sender == null) {
            return new SenderLine(false, null, null);
        }
        return new SenderLine(
                true,
                sender.fromName() + " <" + sender.fromAddress() + ">",
                sender.postalAddress());
    }
}
