"""Developer tools shipped for `reform bench`; nothing in the product imports them."""
