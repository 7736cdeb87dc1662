package dev.lifeboat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every table or collection of a source with its exact count, taken in the same consistent view as
 * the dump.
 *
 * @param items the tables, views and collections, sorted by qualified name
 */
public record Inventory(List<InventoryItem> items) {
  public static final Inventory EMPTY = new Inventory(List.of());

  public Inventory {
    items = items == null
        ? List.of()
        : items.stream().sorted(Comparator.comparing(InventoryItem::qualifiedName)).toList();
  }

  /** The item with this qualified name ({@code schema.table}) or, when unique, plain name. */
  public Optional<InventoryItem> find(String name) {
    Optional<InventoryItem> exact = items.stream().filter(i -> i.qualifiedName().equals(name)).findFirst();
    if (exact.isPresent()) {
      return exact;
    }
    List<InventoryItem> byName = items.stream().filter(i -> i.name().equals(name)).toList();
    return byName.size() == 1 ? Optional.of(byName.get(0)) : Optional.empty();
  }

  /** Sum of all counted rows or documents. */
  @JsonIgnore
  public long totalCount() {
    return items.stream().filter(InventoryItem::counted).mapToLong(InventoryItem::count).sum();
  }
}
