package dev.lifeboat.junit;

/** How long one restored copy lives, and so which tests see each other's writes. */
public enum Scope {
  /** A fresh copy for every test method, dropped after it: no test sees another's writes. The default. */
  METHOD,
  /** One copy shared by the test methods of the class (the innermost class of a nested one), dropped after the class. */
  CLASS
}
