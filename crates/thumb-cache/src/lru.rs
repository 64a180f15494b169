use std::collections::{BTreeMap, HashMap};

/// Least-recently-used map bounded by the total of caller-given entry sizes in bytes.
#[derive(Debug)]
pub(crate) struct ByteLru<V> {
    capacity: u64,
    total: u64,
    next_tick: u64,
    entries: HashMap<String, Entry<V>>,
    /// Use tick to key, oldest first.
    order: BTreeMap<u64, String>,
}

#[derive(Debug)]
struct Entry<V> {
    value: V,
    size: u64,
    tick: u64,
}

impl<V> ByteLru<V> {
    pub(crate) fn new(capacity: u64) -> Self {
        Self {
            capacity,
            total: 0,
            next_tick: 0,
            entries: HashMap::new(),
            order: BTreeMap::new(),
        }
    }

    /// Returns the value for `key` and marks it as the most recently used.
    pub(crate) fn get(&mut self, key: &str) -> Option<&V> {
        let tick = self.take_tick();
        let entry = self.entries.get_mut(key)?;

        self.order.remove(&entry.tick);
        entry.tick = tick;
        self.order.insert(tick, key.to_owned());

        Some(&entry.value)
    }

    /// Inserts or replaces `key` as the most recently used entry, then evicts the least recently
    /// used entries until the total fits the capacity, and returns them. An entry larger than
    /// the whole capacity is evicted at once.
    pub(crate) fn insert(&mut self, key: String, value: V, size: u64) -> Vec<(String, V)> {
        self.remove(&key);

        let tick = self.take_tick();
        self.order.insert(tick, key.clone());
        self.entries.insert(key, Entry { value, size, tick });
        self.total += size;

        let mut evicted = Vec::new();
        while self.total > self.capacity {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            if let Some(entry) = self.entries.remove(&oldest) {
                self.total -= entry.size;
                evicted.push((oldest, entry.value));
            }
        }
        evicted
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<V> {
        let entry = self.entries.remove(key)?;

        self.order.remove(&entry.tick);
        self.total -= entry.size;
        Some(entry.value)
    }

    /// Sum of the sizes of all entries, in bytes.
    pub(crate) fn total_bytes(&self) -> u64 {
        self.total
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    fn take_tick(&mut self) -> u64 {
        let tick = self.next_tick;
        self.next_tick += 1;
        tick
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_recently_used_evicted_first() {
        let mut lru = ByteLru::new(30);
        lru.insert("a".into(), 1, 10);
        lru.insert("b".into(), 2, 10);
        lru.insert("c".into(), 3, 10);
        lru.get("a");

        let evicted = lru.insert("d".into(), 4, 10);

        assert_eq!(evicted, vec![("b".to_owned(), 2)]);
        assert_eq!(lru.total_bytes(), 30);
        assert_eq!(lru.get("a"), Some(&1));
        assert_eq!(lru.get("b"), None);
    }

    #[test]
    fn replacing_entry_updates_total() {
        let mut lru = ByteLru::new(100);
        lru.insert("a".into(), 1, 40);
        lru.insert("a".into(), 2, 10);

        assert_eq!(lru.total_bytes(), 10);
        assert_eq!(lru.len(), 1);
        assert_eq!(lru.get("a"), Some(&2));
    }

    #[test]
    fn oversized_entry_evicted_at_once() {
        let mut lru = ByteLru::new(10);
        lru.insert("small".into(), 1, 5);

        let evicted = lru.insert("huge".into(), 2, 50);

        assert_eq!(evicted.len(), 2);
        assert_eq!(lru.total_bytes(), 0);
        assert_eq!(lru.len(), 0);
    }
}
