//! The region tree: regions nest general to specific (county, city, neighbourhood) to any depth.

use std::collections::BTreeMap;

use super::Meeting;

/// One node of the tree.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Region {
    pub name: String,
    /// Names from the top of the tree down to this region.
    pub names: Vec<String>,
    /// URL path below `/regions/`, e.g. `sangamon-county/springfield`.
    pub path: String,
    /// Paths of child regions, sorted by name.
    pub children: Vec<String>,
    /// Indexes into `Site::meetings` of meetings in this region or below, sorted by slug.
    pub meetings: Vec<usize>,
}

/// All regions keyed by path; roots listed separately.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegionTree {
    pub by_path: BTreeMap<String, Region>,
    pub roots: Vec<String>,
}

/// The URL segment for a region name.
pub(crate) fn segment(name: &str) -> String {
    let s = super::url_slug(name);
    if s.is_empty() {
        "region".to_string()
    } else {
        s
    }
}

/// The path below `/regions/` of a region given by its names.
pub(crate) fn path_of(names: &[String]) -> String {
    names
        .iter()
        .map(|n| segment(n))
        .collect::<Vec<_>>()
        .join("/")
}

impl RegionTree {
    /// Builds the tree from the meetings' effective regions.
    pub fn build(meetings: &[Meeting]) -> Self {
        let mut tree = RegionTree::default();
        // Many meetings share a list of regions: the tree is built once per distinct list.
        let mut groups: std::collections::HashMap<&[String], Vec<usize>> =
            std::collections::HashMap::new();
        for (i, m) in meetings.iter().enumerate() {
            groups.entry(&m.region).or_default().push(i);
        }
        // In the order of each list's first meeting, as if meetings were taken one by one:
        // when two spellings give one path, the first meeting's spelling names the region.
        let mut groups: Vec<(&[String], Vec<usize>)> = groups.into_iter().collect();
        groups.sort_unstable_by_key(|(_, ids)| ids[0]);
        for (region, ids) in groups {
            for depth in 1..=region.len() {
                let names = &region[..depth];
                let path = path_of(names);
                let entry = tree.by_path.entry(path.clone()).or_insert_with(|| Region {
                    name: names[depth - 1].clone(),
                    names: names.to_vec(),
                    path: path.clone(),
                    ..Region::default()
                });
                entry.meetings.extend_from_slice(&ids);
                if depth > 1 {
                    let parent = path_of(&names[..depth - 1]);
                    if let Some(p) = tree.by_path.get_mut(&parent)
                        && !p.children.contains(&path)
                    {
                        p.children.push(path);
                    }
                } else if !tree.roots.contains(&path) {
                    tree.roots.push(path);
                }
            }
        }
        let names: BTreeMap<String, String> = tree
            .by_path
            .iter()
            .map(|(p, r)| (p.clone(), r.name.to_lowercase()))
            .collect();
        let by_name = |a: &String, b: &String| names[a].cmp(&names[b]).then_with(|| a.cmp(b));
        tree.roots.sort_by(by_name);
        for r in tree.by_path.values_mut() {
            r.children.sort_by(by_name);
            r.meetings.sort_unstable();
            r.meetings.dedup();
        }
        tree
    }

    pub(crate) fn get(&self, path: &str) -> Option<&Region> {
        self.by_path.get(path)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Region> {
        self.by_path.values()
    }

    pub(crate) fn len(&self) -> usize {
        self.by_path.len()
    }
}
