/**
 * Diversion detection (窜货): trace codes bound where their shipment went, scans judged against that
 * binding (out-of-region by scanner role, consumer clusters, late binding and unknown codes, cloned codes),
 * cross-region orders and price floors, and a windowed diversion score per source dealer with escalation.
 * Entry points: {@link io.channelstream.diversion.DiversionTopology#build}, its
 * {@link io.channelstream.diversion.DiversionConfig}, and the read facade
 * {@link io.channelstream.diversion.DiversionReads}. Design and thresholds: docs/diversion.md.
 */
package io.channelstream.diversion;
