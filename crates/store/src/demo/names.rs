//! Vietnamese names for demo and benchmark data, with a small deterministic generator so that
//! the same seed always gives the same people on both databases.

/// Family names roughly in order of how common they are.
pub const FAMILY: [(&str, u32); 16] = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
];
pub const MIDDLE_MALE: [&str; 10] = [
    "Văn", "Hữu", "Đức", "Công", "Quang", "Minh", "Thanh", "Xuân", "Quốc", "Ngọc",
];
pub const MIDDLE_FEMALE: [&str; 8] = [
    "Thị",
    "Thị Thu",
    "Thị Hồng",
    "Ngọc",
    "Thu",
    "Thị Minh",
    "Thanh",
    "Thị Thanh",
];
pub const GIVEN_MALE: [&str; 24] = [
    "An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long", "Minh",
    "Nam", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Thành", "Tuấn", "Việt", "Vinh", "Ân",
];
pub const GIVEN_FEMALE: [&str; 22] = [
    "Anh", "Ánh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh",
    "Mai", "Ngọc", "Nhung", "Phương", "Quỳnh", "Thảo", "Trang", "Uyên", "Yến", "Ân",
];

/// SplitMix64: tiny, fast and reproducible everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A random full name and whether it is a woman's.
pub fn full_name(rng: &mut Rng) -> (String, bool) {
    let total: u32 = FAMILY.iter().map(|(_, w)| w).sum();
    let mut x = rng.below(u64::from(total)) as u32;
    let mut family = FAMILY[0].0;
    for (name, w) in FAMILY {
        if x < w {
            family = name;
            break;
        }
        x -= w;
    }
    let female = rng.chance(48);
    let (middle, given) = if female {
        (*rng.pick(&MIDDLE_FEMALE), *rng.pick(&GIVEN_FEMALE))
    } else {
        (*rng.pick(&MIDDLE_MALE), *rng.pick(&GIVEN_MALE))
    };
    (format!("{family} {middle} {given}"), female)
}
