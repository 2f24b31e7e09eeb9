enum PlaceholderInventoryTesting {}
