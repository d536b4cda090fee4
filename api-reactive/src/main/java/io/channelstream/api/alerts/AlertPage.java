package io.channelstream.api.alerts;

import java.util.List;

/**
 * One page of the inbox, newest first.
 *
 * @param nextCursor pass as {@code cursor} to get the next (older) page; null on the last page
 */
public record AlertPage(List<AlertView> items, String nextCursor) {}
