"""A deterministic synthetic course modelled on the source document: a municipal training
course for 346 deputies from 12 county-level units (5 districts, 5 counties, 2 county-level
cities) and the garrison, 6-8 September 2022, Asia/Shanghai.

The names are synthetic (no real person is meant).  They deliberately include single-character
given names, compound surnames (欧阳, 司马) and surnames with a special surname reading (曾,
单, 解), so that every ordering rule is exercised.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import attrs
import pendulum

from lvzhi.domain import (
    Audience,
    Delegate,
    Delegation,
    DelegationKind,
    Gender,
    Official,
    OfficialRole,
    Programme,
    Session,
    SessionKind,
    Venue,
    VenueKind,
)

__all__ = [
    "DELEGATIONS",
    "SUGGESTION_TAXONOMY",
    "Course",
    "make_course",
    "make_names",
]

TZ = "Asia/Shanghai"
SEED = 20220906

#: (code, name, kind, number of deputies) in the official order of units.
DELEGATIONS: tuple[tuple[str, str, DelegationKind, int], ...] = (
    ("zhuhui", "珠晖区", DelegationKind.DISTRICT, 22),
    ("yanfeng", "雁峰区", DelegationKind.DISTRICT, 18),
    ("shigu", "石鼓区", DelegationKind.DISTRICT, 20),
    ("zhengxiang", "蒸湘区", DelegationKind.DISTRICT, 20),
    ("nanyue", "南岳区", DelegationKind.DISTRICT, 8),
    ("hengyang", "衡阳县", DelegationKind.COUNTY, 40),
    ("hengnan", "衡南县", DelegationKind.COUNTY, 40),
    ("hengshan", "衡山县", DelegationKind.COUNTY, 20),
    ("hengdong", "衡东县", DelegationKind.COUNTY, 28),
    ("qidong", "祁东县", DelegationKind.COUNTY, 36),
    ("leiyang", "耒阳市", DelegationKind.CITY, 48),
    ("changning", "常宁市", DelegationKind.CITY, 38),
    ("garrison", "驻衡部队", DelegationKind.GARRISON, 8),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾"
    "毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢"
    "单解仇文齐阮伊亓"
)
COMPOUND_SURNAMES = ("欧阳", "司马")
GIVEN_MALE = "伟强军平东文辉明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟"
SECTORS = ("党政干部", "企业负责人", "专业技术人员", "工人", "农民", "解放军", "其他")

#: 4 categories and 8 aspects (two aspects each), as in the source document: the default
#: taxonomy of ``Settings.suggestion_taxonomy``.
SUGGESTION_TAXONOMY: tuple[tuple[str, tuple[str, str]], ...] = (
    ("代表履职能力", ("学习培训", "调查研究")),
    ("代表联系群众", ("联系渠道", "民意收集")),
    ("代表工作机制", ("建议办理", "履职保障")),
    ("培训组织服务", ("课程安排", "会务保障")),
)


def make_names(count: int, rng: random.Random) -> Iterator[tuple[str, Gender]]:
    """Deterministic synthetic names: about 12% single given names, a few compound surnames."""
    seen: set[str] = set()
    while len(seen) < count:
        female = rng.random() < 0.35
        pool = GIVEN_FEMALE if female else GIVEN_MALE
        surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
        given = rng.choice(pool) if rng.random() < 0.12 else rng.choice(pool) + rng.choice(pool)
        name = surname + given
        if name in seen:
            continue
        seen.add(name)
        yield name, Gender.FEMALE if female else Gender.MALE


@attrs.frozen(kw_only=True)
class Course:
    """Everything the synthetic course holds, before it is stored."""

    programme: Programme
    delegations: tuple[Delegation, ...]
    officials: tuple[Official, ...]
    delegates: tuple[Delegate, ...]
    venues: tuple[Venue, ...]
    sessions: tuple[Session, ...]
    sharing_deputies: tuple[str, ...]


def _at(day: int, hm: str) -> pendulum.DateTime:
    hour, minute = (int(x) for x in hm.split(":"))
    return pendulum.datetime(2022, 9, day, hour, minute, tz=TZ)


def make_course(programme_id: str = "hy16-2022") -> Course:
    """Build the synthetic course (the same every time)."""
    rng = random.Random(SEED)
    total = sum(n for *_, n in DELEGATIONS)
    names = make_names(total + 2 * len(DELEGATIONS) + 80, rng)
    programme = Programme(
        id=programme_id,
        title="衡阳市第十六届人大代表（新任代表）履职培训班",
        term="第十六届",
        organiser="衡阳市人大常委会选举联络工作委员会",
        start_date=pendulum.Date(2022, 9, 6),
        end_date=pendulum.Date(2022, 9, 8),
        timezone=TZ,
    )
    delegations: list[Delegation] = []
    officials: list[Official] = []
    delegates: list[Delegate] = []
    serial = 0
    for order, (code, unit_name, kind, size) in enumerate(DELEGATIONS, 1):
        leader_name, _ = next(names)
        staff_name, _ = next(names)
        leader = Official(
            id=f"{code}-leader",
            name=leader_name,
            role=OfficialRole.DELEGATION_LEADER,
            organisation=unit_name,
            title="带队领导",
            delegation=code,
        )
        staff = Official(
            id=f"{code}-staff",
            name=staff_name,
            role=OfficialRole.DELEGATION_STAFF,
            organisation=unit_name,
            title="工作人员",
            delegation=code,
        )
        officials += [leader, staff]
        report_to = "驻衡部队领导" if kind is DelegationKind.GARRISON else f"{unit_name}人大常委会"
        delegations.append(
            Delegation(
                code=code,
                name=unit_name,
                kind=kind,
                order=order,
                leader_id=leader.id,
                staff_id=staff.id,
                report_to=report_to,
            )
        )
        for _ in range(size):
            serial += 1
            name, gender = next(names)
            sector = (
                "解放军"
                if kind is DelegationKind.GARRISON
                else rng.choice(SECTORS[:-2] + SECTORS[-1:])
            )
            delegates.append(
                Delegate(
                    certificate_no=f"HY16-{serial:04d}",
                    name=name,
                    gender=gender,
                    delegation=code,
                    sector=sector,
                    is_new=rng.random() < 0.62,
                    phone=f"199{rng.randrange(10**8):08d}",
                )
            )
    for n, role, title in (
        (4, OfficialRole.LEADER, "市人大常委会领导"),
        (6, OfficialRole.ORGANISER, "联工委工作人员"),
        (6, OfficialRole.ATTENDANCE_TAKER, "分区考勤员"),
    ):
        for i in range(1, n + 1):
            name, _ = next(names)
            officials.append(
                Official(
                    id=f"{role.value}-{i:02d}",
                    name=name,
                    role=role,
                    organisation="衡阳市人大常委会",
                    title=title,
                )
            )
    venues = [
        Venue(id="hall", name="市人大常委会机关报告厅", kind=VenueKind.HALL, capacity=400),
        Venue(id="dining", name="培训中心餐厅", kind=VenueKind.DINING, capacity=400),
        Venue(id="lodging", name="培训中心住宿楼", kind=VenueKind.LODGING, capacity=400),
    ] + [
        Venue(id=f"room-{n:02d}", name=f"第{n}讨论室", kind=VenueKind.ROOM, capacity=40)
        for n in range(1, 13)
    ]
    sharing = tuple(sorted(rng.sample([d.certificate_no for d in delegates if not d.is_new], 5)))
    # Drawn after everything above so that the names and choices made before stay as they
    # were: more leaders (twelve sit on the rostrum, one sits in on each group), and a
    # convener and a recorder for each of the 12 discussion groups.
    for first, n, role, prefix, title in (
        (5, 8, OfficialRole.LEADER, "leader", "市人大常委会领导"),
        (1, 12, OfficialRole.GROUP_CONVENER, "group_convener", "小组召集人"),
        (1, 12, OfficialRole.ORGANISER, "recorder", "小组记录员"),
    ):
        for i in range(first, first + n):
            name, _ = next(names)
            officials.append(
                Official(
                    id=f"{prefix}-{i:02d}",
                    name=name,
                    role=role,
                    organisation="衡阳市人大常委会",
                    title=title,
                )
            )
    by_cert = {d.certificate_no: d for d in delegates}
    sharing_names = "、".join(by_cert[c].name for c in sharing)
    everyone = Audience()
    slots = [
        ("s01", 6, "09:00", "09:40", SessionKind.OPENING, "开班式", "", "hall"),
        (
            "s02",
            6,
            "09:50",
            "11:50",
            SessionKind.LECTURE,
            "全过程人民民主专题辅导",
            "省人大常委会选举联络工作委员会负责同志",
            "hall",
        ),
        (
            "s03",
            6,
            "14:30",
            "16:30",
            SessionKind.PRACTICAL,
            "读懂《人大代表履职常识100问》",
            "市人大常委会选举联络工作委员会负责同志",
            "hall",
        ),
        (
            "s04",
            6,
            "16:40",
            "17:40",
            SessionKind.EXPERIENCE_SHARING,
            "代表履职经验交流",
            sharing_names,
            "hall",
        ),
        (
            "s05",
            7,
            "09:00",
            "11:30",
            SessionKind.PRACTICAL,
            "人大代表如何依法履职",
            "市人大常委会法制工作委员会负责同志",
            "hall",
        ),
        (
            "s06",
            7,
            "14:30",
            "16:00",
            SessionKind.PRACTICAL,
            "如何写出高质量的代表建议",
            "市人大常委会代表工作负责同志",
            "hall",
        ),
        (
            "s07",
            7,
            "16:10",
            "17:30",
            SessionKind.LECTURE,
            "人大代表如何当好表率",
            "资深人大代表",
            "hall",
        ),
        (
            "s08",
            8,
            "08:30",
            "11:30",
            SessionKind.GROUP_DISCUSSION,
            "分组讨论：如何更好地依法履职",
            "",
            None,
        ),
        ("s09", 8, "14:30", "15:30", SessionKind.CLOSING, "结业式", "", "hall"),
    ]
    sessions = tuple(
        Session(
            id=f"{programme_id}-{sid}",
            programme_id=programme_id,
            title=title,
            kind=kind,
            starts_at=_at(day, start),
            ends_at=_at(day, end),
            venue_id=venue,
            lecturer=lecturer,
            audience=everyone,
            notes="分12个小组，各小组讨论室见分组名单" if venue is None else "",
        )
        for sid, day, start, end, kind, title, lecturer, venue in slots
    )
    return Course(
        programme=programme,
        delegations=tuple(delegations),
        officials=tuple(officials),
        delegates=tuple(delegates),
        venues=tuple(venues),
        sessions=sessions,
        sharing_deputies=sharing,
    )
