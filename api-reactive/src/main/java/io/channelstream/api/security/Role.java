package io.channelstream.api.security;

/** Who a caller is in the channel; carried in the token's {@code role} claim. */
public enum Role {
    /** The brand's headquarters: sees and manages everything. */
    HQ,
    /** A regional manager: sees what lies inside their region codes (region-tree containment). */
    REGIONAL_MANAGER,
    /** A dealer: sees its own locations and stock. */
    DEALER,
    /** A partner system (chain store, WMS, ERP, logistics): sees the regions and dealers its token names. */
    PARTNER
}
