# expect: 2:8: config memory=lots: expected a number of pages
config memory=lots
