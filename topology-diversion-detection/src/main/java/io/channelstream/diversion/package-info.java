/**
 * Diversion detection (窜货): code binding on shipment, out-of-region scans, cross-region orders,
 * price floors, cloned and unknown codes, dealer diversion scores. Built under its own issue; the
 * module exists so that the catalogue, serdes and shared topology support are used from the start.
 */
package io.channelstream.diversion;
