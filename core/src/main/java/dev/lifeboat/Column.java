package dev.lifeboat;

/**
 * A column of a table as the source described it.
 *
 * @param name the column name, unquoted
 * @param type the type as the database names it, e.g. {@code integer}, {@code text[]}
 */
public record Column(String name, String type) {}
