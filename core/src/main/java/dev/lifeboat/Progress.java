package dev.lifeboat;

/**
 * One progress report.
 *
 * @param phase what is happening: {@code dump}, {@code store}, {@code check}, {@code restore}, {@code verify}
 * @param bytes bytes handled so far in this phase
 * @param items rows or documents handled so far, or -1 when not known
 * @param detail the table or collection being worked on, or empty
 */
public record Progress(String phase, long bytes, long items, String detail) {}
