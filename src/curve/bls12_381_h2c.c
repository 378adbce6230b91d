/* RFC 9380 hash_to_curve for BLS12-381 (see bls12_381_h2c.h).  Isogeny and
 * SSWU constants are Montgomery forms of RFC 9380 App. E.2/E.3 and §8.8;
 * the unit tests check them against the canonical values. */
#include "curve/bls12_381_h2c.h"

#include <string.h>

#include "util/hash.h"

/* G1: E': y^2 = x^3 + A'x + B', Z = 11 */
static const bls_fp G1_SSWU_A = {{0x2f65aa0e9af5aa51ULL, 0x86464c2d1e8416c3ULL, 0xb85ce591b7bd31e2ULL, 0x27e11c91b5f24e7cULL, 0x28376eda6bfc1835ULL, 0x155455c3e5071d85ULL}};
static const bls_fp G1_SSWU_B = {{0xfb996971fe22a1e0ULL, 0x9aa93eb35b742d6fULL, 0x8c476013de99c5c4ULL, 0x873e27c3a221e571ULL, 0xca72b5e45a52d888ULL, 0x06824061418a386bULL}};
static const bls_fp G1_SSWU_Z = {{0x886c00000023ffdcULL, 0x0f70008d3090001dULL, 0x77672417ed5828c3ULL, 0x9dac23e943dc1740ULL, 0x50553f1b9c131521ULL, 0x078c712fbe0ab6e8ULL}};
/* G2: A' = 240 u, B' = 1012 (1 + u), Z = -(2 + u) */
static const bls_fp2 G2_SSWU_A = {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}, {{0xe53a000003135242ULL, 0x01080c0fdef80285ULL, 0xe7889edbe340f6bdULL, 0x0b51375126310601ULL, 0x02d6985717c744abULL, 0x1220b4e979ea5467ULL}}};
static const bls_fp2 G2_SSWU_B = {{{0x22ea00000cf89db2ULL, 0x6ec832df71380aa4ULL, 0x6e1b94403db5a66eULL, 0x75bf3c53a79473baULL, 0x3dd3a569412c0a34ULL, 0x125cdb5e74dc4fd1ULL}}, {{0x22ea00000cf89db2ULL, 0x6ec832df71380aa4ULL, 0x6e1b94403db5a66eULL, 0x75bf3c53a79473baULL, 0x3dd3a569412c0a34ULL, 0x125cdb5e74dc4fd1ULL}}};
static const bls_fp2 G2_SSWU_Z = {{{0x87ebfffffff9555cULL, 0x656fffe5da8ffffaULL, 0x0fd0749345d33ad2ULL, 0xd951e663066576f4ULL, 0xde291a3d41e980d3ULL, 0x0815664c7dfe040dULL}}, {{0x43f5fffffffcaaaeULL, 0x32b7fff2ed47fffdULL, 0x07e83a49a2e99d69ULL, 0xeca8f3318332bb7aULL, 0xef148d1ea0f4c069ULL, 0x040ab3263eff0206ULL}}};

/* Precomputed -B'/A' and B'/(Z A') for the two branches of x1 */
static const bls_fp G1_MB_OVER_A = {{0x052583c93555a7feULL, 0x3b40d72430f93c82ULL, 0x1b75faa0105ec983ULL, 0x2527e7dc63851767ULL, 0x99fffd1f34fc181dULL, 0x097cab54770ca0d3ULL}};
static const bls_fp G1_B_OVER_ZA = {{0xaefbc579583dc22fULL, 0x70cca69e8ca26edcULL, 0xaf05f2a3b113ce57ULL, 0x4ed257417860c764ULL, 0xbb16a0c0d526ff96ULL, 0x1469e7cf3b7ec553ULL}};
static const bls_fp2 G2_MB_OVER_A = {{{0x903c555555474fb3ULL, 0x5f98cc95ce451105ULL, 0x9f8e582eefe0fadeULL, 0xc68946b6aebbd062ULL, 0x467a4ad10ee6de53ULL, 0x0e7146f483e23a05ULL}}, {{0x29c2aaaaaab85af8ULL, 0xbf133368e30eeefaULL, 0xc7a27a7206cffb45ULL, 0x9dee04ce44c9425cULL, 0x04a15ce53464ce83ULL, 0x0b8fcaf5b59dac95ULL}}};
static const bls_fp2 G2_B_OVER_ZA = {{{0xf2d8444444414324ULL, 0x2585c28393a69d00ULL, 0x5dd35cd05d972c42ULL, 0xfd963b744ea89b53ULL, 0x07f5d9fd91c1fa91ULL, 0x127db28a3ce062c4ULL}}, {{0x55743333333b3695ULL, 0xeb72b871590828fcULL, 0x1c186171cb4d5da5ULL, 0x34a33031ee956644ULL, 0xc971692a149d16d0ULL, 0x168a1e1ff5de8b82ULL}}};

/* 11-isogeny: x = x_num/x_den, y = y' y_num/y_den; coefficients from the
 * constant term up; the denominators are monic (leading 1 omitted). */
static const bls_fp ISO11_XNUM[12] = {
    {{0x4d18b6f3af00131cULL, 0x19fa219793fee28cULL, 0x3f2885f1467f19aeULL, 0x23dcea34f2ffb304ULL, 0xd15b58d2ffc00054ULL, 0x0913be200a20bef4ULL}},
    {{0x898985385cdbbd8bULL, 0x3c79e43cc7d966aaULL, 0x1597e193f4cd233aULL, 0x8637ef1e4d6623adULL, 0x11b22deed20d827bULL, 0x07097bc5998784adULL}},
    {{0xa542583a480b664bULL, 0xfc7169c026e568c6ULL, 0x5ba2ef314ed8b5a6ULL, 0x5b5491c05102f0e7ULL, 0xdf6e99707d2a0079ULL, 0x0784151ed7605524ULL}},
    {{0x494e212870f72741ULL, 0xab9be52fbda43021ULL, 0x26f5577994e34c3dULL, 0x049dfee82aefbd60ULL, 0x65dadd7828505289ULL, 0x0e93d431ea011aebULL}},
    {{0x90ee774bd6a74d45ULL, 0x7ada1c8a41bfb185ULL, 0x0f1a8953b325f464ULL, 0x104c24211be4805cULL, 0x169139d319ea7a8fULL, 0x09f20ead8e532bf6ULL}},
    {{0x6ddd93e2f43626b7ULL, 0xa5482c9aa1ccd7bdULL, 0x143245631883f4bdULL, 0x2e0a94ccf77ec0dbULL, 0xb0282d480e56489fULL, 0x18f4bfcbb4368929ULL}},
    {{0x23c5f0c953402dfdULL, 0x7a43ff6958ce4fe9ULL, 0x2c390d3d2da5df63ULL, 0xd0df5c98e1f9d70fULL, 0xffd89869a572b297ULL, 0x1277ffc72f25e8feULL}},
    {{0x79f4f0490f06a8a6ULL, 0x85f894a88030fd81ULL, 0x12da3054b18b6410ULL, 0xe2a57f6505880d65ULL, 0xbba074f260e400f1ULL, 0x08b76279f621d028ULL}},
    {{0xe67245ba78d5b00bULL, 0x8456ba9a1f186475ULL, 0x7888bff6e6b33bb4ULL, 0xe21585b9a30f86cbULL, 0x05a69cdcef55feeeULL, 0x09e699dd9adfa5acULL}},
    {{0x0de5c357bff57107ULL, 0x0a0db4ae6b1a10b2ULL, 0xe256bb67b3b3cd8dULL, 0x8ad456574e9db24fULL, 0x0443915f50fd4179ULL, 0x098c4bf7de8b6375ULL}},
    {{0xe6b0617e7dd929c7ULL, 0xfe6e37d442537375ULL, 0x1dafdeda137a489eULL, 0xe4efd1ad3f767cebULL, 0x4a51d8667f0fe1cfULL, 0x054fdf4bbf1d821cULL}},
    {{0x72db2a50658d767bULL, 0x8abf91faa257b3d5ULL, 0xe969d6833764ab47ULL, 0x464170142a1009ebULL, 0xb14f01aadb30be2fULL, 0x18ae6a856f40715dULL}},
};
static const bls_fp ISO11_XDEN[10] = {
    {{0xb962a077fdb0f945ULL, 0xa6a9740fefda13a0ULL, 0xc14d568c3ed6c544ULL, 0xb43fc37b908b133eULL, 0x9c0b3ac929599016ULL, 0x0165aa6c93ad115fULL}},
    {{0x23279a3ba506c1d9ULL, 0x92cfca0a9465176aULL, 0x3b294ab13755f0ffULL, 0x116dda1c5070ae93ULL, 0xed4530924cec2045ULL, 0x083383d6ed81f1ceULL}},
    {{0x9885c2a6449fecfcULL, 0x4a2b54ccd37733f0ULL, 0x17da9ffd8738c142ULL, 0xa0fba72732b3fafdULL, 0xff364f36e54b6812ULL, 0x0f29c13c660523e2ULL}},
    {{0xe349cc118278f041ULL, 0xd487228f2f3204fbULL, 0xc9d325849ade5150ULL, 0x43a92bd69c15c2dfULL, 0x1c2c7844bc417be4ULL, 0x12025184f407440cULL}},
    {{0x587f65ae6acb057bULL, 0x1444ef325140201fULL, 0xfbf995e71270da49ULL, 0xccda066072436a42ULL, 0x7408904f0f186bb2ULL, 0x13b93c63edf6c015ULL}},
    {{0xfb918622cd141920ULL, 0x4a4c64423ecaddb4ULL, 0x0beb232927f7fb26ULL, 0x30f94df6f83a3dc2ULL, 0xaeedd424d780f388ULL, 0x06cc402dd594bbebULL}},
    {{0xd41f761151b23f8fULL, 0x32a92465435719b3ULL, 0x64f436e888c62cb9ULL, 0xdf70a9a1f757c6e4ULL, 0x6933a38d5b594c81ULL, 0x0c6f7f7237b46606ULL}},
    {{0x693c08747876c8f7ULL, 0x22c9850bf9cf80f0ULL, 0x8e9071dab950c124ULL, 0x89bc62d61c7baf23ULL, 0xbc6be2d8dad57c23ULL, 0x17916987aa14a122ULL}},
    {{0x1be3ff439c1316fdULL, 0x9965243a7571dfa7ULL, 0xc7f7f62962f5cd81ULL, 0x32c6aa9af394361cULL, 0xbbc2ee18e1c227f4ULL, 0x0c102cbac531bb34ULL}},
    {{0x997614c97bacbf07ULL, 0x61f86372b99192c0ULL, 0x5b8c95fc14353fc3ULL, 0xca2b066c2a87492fULL, 0x16178f5bbf698711ULL, 0x12a6dcd7f0f4e0e8ULL}},
};
static const bls_fp ISO11_YNUM[16] = {
    {{0x2b567ff3e2837267ULL, 0x1d4d9e57b958a767ULL, 0xce028fea04bd7373ULL, 0xcc31a30a0b6cd3dfULL, 0x7d7b18a682692693ULL, 0x0d300744d42a0310ULL}},
    {{0x99c2555fa542493fULL, 0xfe7f53cc4874f878ULL, 0x5df0608b8f97608aULL, 0x14e03832052b49c8ULL, 0x706326a6957dd5a4ULL, 0x0a8dadd9c2414555ULL}},
    {{0x13d942922a5cf63aULL, 0x357e33e36e261e7dULL, 0xcf05a27c8456088dULL, 0x0000bd1de7ba50f0ULL, 0x83d0c7532f8c1fdeULL, 0x13f70bf38bbf2905ULL}},
    {{0x5c57fd95bfafbdbbULL, 0x28a359a65e541707ULL, 0x3983ceb4f6360b6dULL, 0xafe19ff6f97e6d53ULL, 0xb3468f4550192bf7ULL, 0x0bb6cde49d8ba257ULL}},
    {{0x590b62c7ff8a513fULL, 0x314b4ce372cacefdULL, 0x6bef32ce94b8a800ULL, 0x6ddf84a095713d5fULL, 0x64eace4cb0982191ULL, 0x0386213c651b888dULL}},
    {{0xa5310a31111bbcddULL, 0xa14ac0f5da148982ULL, 0xf9ad9cc95423d2e9ULL, 0xaa6ec095283ee4a7ULL, 0xcf5b1f022e1c9107ULL, 0x01fddf5aed881793ULL}},
    {{0x65a572b0d7a7d950ULL, 0xe25c2d8183473a19ULL, 0xc2fcebe7cb877dbdULL, 0x05b2d36c769a89b0ULL, 0xba12961be86e9efbULL, 0x07eb1b29c1dfde1fULL}},
    {{0x93e09572f7c4cd24ULL, 0x364e929076795091ULL, 0x8569467e68af51b5ULL, 0xa47da89439f5340fULL, 0xf4fa918082e44d64ULL, 0x0ad52ba3e6695a79ULL}},
    {{0x911429844e0d5f54ULL, 0xd03f51a3516bb233ULL, 0x3d587e5640536e66ULL, 0xfa86d2a3a9a73482ULL, 0xa90ed5adf1ed5537ULL, 0x149c9c326a5e7393ULL}},
    {{0x462bbeb03c12921aULL, 0xdc9af5fa0a274a17ULL, 0x9a558ebde836ebedULL, 0x649ef8f11a4fae46ULL, 0x8100e1652b3cdc62ULL, 0x1862bd62c291dacbULL}},
    {{0x05c9b8ca89f12c26ULL, 0x0194160fa9b9ac4fULL, 0x6a643d5a6879fa2cULL, 0x14665bdd8846e19dULL, 0xbb1d0d53af3ff6bfULL, 0x12c7e1c3b28962e5ULL}},
    {{0xb55ebf900b8a3e17ULL, 0xfedc77ec1a9201c4ULL, 0x1f07db10ea1a4df4ULL, 0x0dfbd15dc41a594dULL, 0x389547f2334a5391ULL, 0x02419f98165871a4ULL}},
    {{0xb416af000745fc20ULL, 0x8e563e9d1ea6d0f5ULL, 0x7c763e17763a0652ULL, 0x01458ef0159ebbefULL, 0x8346fe421f96bb13ULL, 0x0d2d7b829ce324d2ULL}},
    {{0x93096bb538d64615ULL, 0x6f2a2619951d823aULL, 0x8f66b3ea59514fa4ULL, 0xf563e63704f7092fULL, 0x724b136c4cf2d9faULL, 0x046959cfcfd0bf49ULL}},
    {{0xea748d4b6e405346ULL, 0x91e9079c2c02d58fULL, 0x41064965946d9b59ULL, 0xa06731f1d2bbe1eeULL, 0x07f897e267a33f1bULL, 0x1017290919210e5fULL}},
    {{0x872aa6c17d985097ULL, 0xeecc53161264562aULL, 0x07afe37afff55002ULL, 0x54759078e5be6838ULL, 0xc4b92d15db8acca8ULL, 0x106d87d1b51d13b9ULL}},
};
static const bls_fp ISO11_YDEN[15] = {
    {{0xeb6c359d47e52b1cULL, 0x18ef5f8a10634d60ULL, 0xddfa71a0889d5b7eULL, 0x723e71dcc5fc1323ULL, 0x52f45700b70d5c69ULL, 0x0a8b981ee47691f1ULL}},
    {{0x616a3c4f5535b9fbULL, 0x6f5f037395dbd911ULL, 0xf25f4cc5e35c65daULL, 0x3e50dffea3c62658ULL, 0x6a33dca523560776ULL, 0x0fadeff77b6bfe3eULL}},
    {{0x2be9b66df470059cULL, 0x24a2c159a3d36742ULL, 0x115dbe7ad10c2a37ULL, 0xb6634a652ee5884dULL, 0x04fe8bb2b8d81af4ULL, 0x01c2a7a256fe9c41ULL}},
    {{0xf27bf8ef3b75a386ULL, 0x898b367476c9073fULL, 0x24482e6b8c2f4e5fULL, 0xc8e0bbd6fe110806ULL, 0x59b0c17f7631448aULL, 0x11037cd58b3dbfbdULL}},
    {{0x31c7912ea267eec6ULL, 0x1dbf6f1c5fcdb700ULL, 0xd30d4fe3ba86fdb1ULL, 0x3cae528fbee9a2a4ULL, 0xb1cce69b6aa9ad9aULL, 0x044393bb632d94fbULL}},
    {{0xc66ef6efeeb5c7e8ULL, 0x9824c289dd72bb55ULL, 0x71b1a4d2f119981dULL, 0x104fc1aafb0919ccULL, 0x0e49df01d942a628ULL, 0x096c3a09773272d4ULL}},
    {{0x9abc11eb5fadeff4ULL, 0x32dca50a885728f0ULL, 0xfb1fa3721569734cULL, 0xc4b76271ea6506b3ULL, 0xd466a75599ce728eULL, 0x0c81d4645f4cb6edULL}},
    {{0x4199f10e5b8be45bULL, 0xda64e495b1e87930ULL, 0xcb353efe9b33e4ffULL, 0x9e9efb24aa6424c6ULL, 0xf08d33680a237465ULL, 0x0d3378023e4c7406ULL}},
    {{0x7eb4ae92ec74d3a5ULL, 0xc341b4aa9fac3497ULL, 0x5be603899e907687ULL, 0x03bfd9cca75cbdebULL, 0x564c2935a96bfa93ULL, 0x0ef3c33371e2fdb5ULL}},
    {{0x7ee91fd449f6ac2eULL, 0xe5d5bd5cb9357a30ULL, 0x773a8ca5196b1380ULL, 0xd0fda172174ed023ULL, 0x6cb95e0fa776aeadULL, 0x0d22d5a40cec7cffULL}},
    {{0xf727e09285fd8519ULL, 0xdc9d55a83017897bULL, 0x7549d8bd057894aeULL, 0x178419613d90d8f8ULL, 0xfce95ebdeb5b490aULL, 0x0467ffaef23fc49eULL}},
    {{0xc1769e6a7c385f1bULL, 0x79bc930deac01c03ULL, 0x5461c75a23ede3b5ULL, 0x6e20829e5c230c45ULL, 0x828e0f1e772a53cdULL, 0x116aefa749127bffULL}},
    {{0x101c10bf2744c10aULL, 0xbbf18d053a6a3154ULL, 0xa0ecf39ef026f602ULL, 0xfc009d4996dc5153ULL, 0xb9000209d5bd08d3ULL, 0x189e5fe4470cd73cULL}},
    {{0x7ebd546ca1575ed2ULL, 0xe47d5a981d081b55ULL, 0x57b2b625b6d4ca21ULL, 0xb0a1ba04228520ccULL, 0x98738983c2107ff3ULL, 0x13dddbc4799d81d6ULL}},
    {{0x09319f2e39834935ULL, 0x039e952cbdb05c21ULL, 0x55ba77a9a2f76493ULL, 0xfd04e3dfc6086467ULL, 0xfb95832e7d78742eULL, 0x0ef9c24eccaf5e0eULL}},
};
/* 3-isogeny, same layout */
static const bls_fp2 ISO3_XNUM[4] = {
    {{{0x47f671c71ce05e62ULL, 0x06dd57071206393eULL, 0x7c80cd2af3fd71a2ULL, 0x048103ea9e6cd062ULL, 0xc54516acc8d037f6ULL, 0x13808f550920ea41ULL}}, {{0x47f671c71ce05e62ULL, 0x06dd57071206393eULL, 0x7c80cd2af3fd71a2ULL, 0x048103ea9e6cd062ULL, 0xc54516acc8d037f6ULL, 0x13808f550920ea41ULL}}},
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}, {{0x5fe55555554c71d0ULL, 0x873fffdd236aaaa3ULL, 0x6a6b4619b26ef918ULL, 0x21c2888408874945ULL, 0x2836cda7028cabc5ULL, 0x0ac73310a7fd5abdULL}}},
    {{{0x0a0c5555555971c3ULL, 0xdb0c00101f9eaaaeULL, 0xb1fb2f941d797997ULL, 0xd3960742ef416e1cULL, 0xb70040e2c20556f4ULL, 0x149d7861e581393bULL}}, {{0xaff2aaaaaaa638e8ULL, 0x439fffee91b55551ULL, 0xb535a30cd9377c8cULL, 0x90e144420443a4a2ULL, 0x941b66d3814655e2ULL, 0x0563998853fead5eULL}}},
    {{{0x40aac71c71c725edULL, 0x190955557a84e38eULL, 0xd817050a8f41abc3ULL, 0xd86485d4c87f6fb1ULL, 0x696eb479f885d059ULL, 0x198e1a74328002d2ULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
};
static const bls_fp2 ISO3_XDEN[2] = {
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}, {{0x1f3affffff13ab97ULL, 0xf25bfc611da3ff3eULL, 0xca3757cb3819b208ULL, 0x3e6427366f8cec18ULL, 0x03977bc86095b089ULL, 0x04f69db13f39a952ULL}}},
    {{{0x447600000027552eULL, 0xdcb8009a43480020ULL, 0x6f7ee9ce4a6e8b59ULL, 0xb10330b7c0a95bc6ULL, 0x6140b1fcfb1e54b7ULL, 0x0381be097f0bb4e1ULL}}, {{0x7588ffffffd8557dULL, 0x41f3ff646e0bffdfULL, 0xf7b1e8d2ac426acaULL, 0xb3741acd32dbb6f8ULL, 0xe9daf5b9482d581fULL, 0x167f53e0ba7431b8ULL}}},
};
static const bls_fp2 ISO3_YNUM[4] = {
    {{{0x96d8f684bdfc77beULL, 0xb530e4f43b66d0e2ULL, 0x184a88ff379652fdULL, 0x57cb23ecfae804e1ULL, 0x0fd2e39eada3eba9ULL, 0x08c8055e31c5d5c3ULL}}, {{0x96d8f684bdfc77beULL, 0xb530e4f43b66d0e2ULL, 0x184a88ff379652fdULL, 0x57cb23ecfae804e1ULL, 0x0fd2e39eada3eba9ULL, 0x08c8055e31c5d5c3ULL}}},
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}, {{0xbf0a71c71c91b406ULL, 0x4d6d55d28b7638fdULL, 0x9d82f98e5f205aeeULL, 0xa27aa27b1d1a18d5ULL, 0x02c3b2b2d2938e86ULL, 0x0c7d13420b09807fULL}}},
    {{{0xd7f9555555531c74ULL, 0x21cffff748daaaa8ULL, 0x5a9ad1866c9bbe46ULL, 0x4870a2210221d251ULL, 0x4a0db369c0a32af1ULL, 0x02b1ccc429ff56afULL}}, {{0xe205aaaaaaac8e37ULL, 0xfcdc000768795556ULL, 0x0c96011a8a1537ddULL, 0x1c06a963f163406eULL, 0x010df44c82a881e6ULL, 0x174f45260f808febULL}}},
    {{{0xa470bda12f67f35cULL, 0xc0fe38e23327b425ULL, 0xc9d3d0f2c6f0678dULL, 0x1c55c9935b5a982eULL, 0x27f6c0e2f0746764ULL, 0x117c5e6e28aa9054ULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
};
static const bls_fp2 ISO3_YDEN[3] = {
    {{{0x0162fffffa765adfULL, 0x8f7bea480083fb75ULL, 0x561b3c2259e93611ULL, 0x11e19fc1a9c875d5ULL, 0xca713efc00367660ULL, 0x03c6a03d41da1151ULL}}, {{0x0162fffffa765adfULL, 0x8f7bea480083fb75ULL, 0x561b3c2259e93611ULL, 0x11e19fc1a9c875d5ULL, 0xca713efc00367660ULL, 0x03c6a03d41da1151ULL}}},
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}, {{0x5db0fffffd3b02c5ULL, 0xd713f52358ebfdbaULL, 0x5ea60761a84d161aULL, 0xbb2c75a34ea6c44aULL, 0x0ac6735921c1119bULL, 0x0ee3d913bdacfbf6ULL}}},
    {{{0x66b10000003affc5ULL, 0xcb1400e764ec0030ULL, 0xa73e5eb56fa5d106ULL, 0x8984c913a0fe09a9ULL, 0x11e10afb78ad7f13ULL, 0x05429d0e3e918f52ULL}}, {{0x534dffffffc4aae6ULL, 0x5397ff174c67ffcfULL, 0xbff273eb870b251dULL, 0xdaf2827152870915ULL, 0x393a9cbaca9e2dc3ULL, 0x14be74dbfaee5748ULL}}},
};

/* ------------------------------------------------------------ expand / field */

int bls_expand_message_xmd(uint8_t *out, size_t len, const uint8_t *msg, size_t msg_len,
                           const uint8_t *dst, size_t dst_len) {
    static const uint8_t zpad[64] = {0};
    static const char oversize[] = "H2C-OVERSIZE-DST-";
    uint8_t dst_buf[NS_SHA256_LEN], b0[NS_SHA256_LEN], bi[NS_SHA256_LEN], tmp[NS_SHA256_LEN];
    size_t ell = (len + 31) / 32;
    if (len == 0 || len > 65535 || ell > 255) return -1;
    ns_hash *h = ns_hash_new(NS_HASH_SHA256);
    if (h == NULL) return -1;
    if (dst_len > 255) {
        ns_hash_update(h, oversize, sizeof oversize - 1);
        ns_hash_update(h, dst, dst_len);
        ns_hash_final(h, dst_buf);
        dst = dst_buf;
        dst_len = NS_SHA256_LEN;
    }
    uint8_t dlen = (uint8_t)dst_len;
    uint8_t lib[3] = {(uint8_t)(len >> 8), (uint8_t)len, 0};
    /* b0 = H(Z_pad || msg || l_i_b_str || 0x00 || DST') */
    ns_hash_update(h, zpad, sizeof zpad);
    if (msg_len) ns_hash_update(h, msg, msg_len);
    ns_hash_update(h, lib, 3);
    ns_hash_update(h, dst, dst_len);
    ns_hash_update(h, &dlen, 1);
    ns_hash_final(h, b0);
    /* b1 = H(b0 || 0x01 || DST'); bi = H((b0 ^ b_{i-1}) || i || DST') */
    memset(bi, 0, sizeof bi);
    for (size_t i = 1; i <= ell; i++) {
        uint8_t idx = (uint8_t)i;
        for (int j = 0; j < NS_SHA256_LEN; j++) tmp[j] = b0[j] ^ bi[j];
        ns_hash_update(h, tmp, sizeof tmp);
        ns_hash_update(h, &idx, 1);
        ns_hash_update(h, dst, dst_len);
        ns_hash_update(h, &dlen, 1);
        ns_hash_final(h, bi);
        size_t off = (i - 1) * 32, n = len - off < 32 ? len - off : 32;
        memcpy(out + off, bi, n);
    }
    ns_hash_free(h);
    return 0;
}

int bls_hash_to_fp(bls_fp *u, size_t count, const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                   size_t dst_len) {
    uint8_t buf[128];
    if (count == 0 || count > 2) return -1;
    if (bls_expand_message_xmd(buf, 64 * count, msg, msg_len, dst, dst_len) != 0) return -1;
    for (size_t i = 0; i < count; i++) bls_fp_from_be64_reduce(&u[i], buf + 64 * i);
    return 0;
}

int bls_hash_to_fp2(bls_fp2 *u, size_t count, const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                    size_t dst_len) {
    uint8_t buf[256];
    if (count == 0 || count > 2) return -1;
    if (bls_expand_message_xmd(buf, 128 * count, msg, msg_len, dst, dst_len) != 0) return -1;
    for (size_t i = 0; i < count; i++) {
        bls_fp_from_be64_reduce(&u[i].c0, buf + 128 * i);
        bls_fp_from_be64_reduce(&u[i].c1, buf + 128 * i + 64);
    }
    return 0;
}

/* ------------------------------------------------------------ G1 map */

/* RFC 9380 §6.6.2, straight-line form with an explicit square test. */
void bls_sswu_g1_var(bls_fp *x, bls_fp *y, const bls_fp *u) {
    bls_fp u2, zu2, tv1, x1, gx, one;
    bls_fp_one(&one);
    bls_fp_sqr(&u2, u);
    bls_fp_mul(&zu2, &G1_SSWU_Z, &u2);         /* Z u^2 */
    bls_fp_sqr(&tv1, &zu2);
    bls_fp_add(&tv1, &tv1, &zu2);              /* Z^2 u^4 + Z u^2 */
    if (bls_fp_is_zero(&tv1)) {
        x1 = G1_B_OVER_ZA; /* exceptional case: B / (Z A) */
    } else {
        /* x1 = (-B / A) (1 + 1/tv1) */
        bls_fp_inv_var(&tv1, &tv1);
        bls_fp_add(&tv1, &tv1, &one);
        bls_fp_mul(&x1, &G1_MB_OVER_A, &tv1);
    }
    /* gx1 = x1^3 + A x1 + B */
    bls_fp_sqr(&gx, &x1);
    bls_fp_add(&gx, &gx, &G1_SSWU_A);
    bls_fp_mul(&gx, &gx, &x1);
    bls_fp_add(&gx, &gx, &G1_SSWU_B);
    if (bls_fp_sqrt_var(y, &gx)) {
        *x = x1;
    } else {
        /* x2 = Z u^2 x1, gx2 = x2^3 + A x2 + B (a square) */
        bls_fp_mul(x, &zu2, &x1);
        bls_fp_sqr(&gx, x);
        bls_fp_add(&gx, &gx, &G1_SSWU_A);
        bls_fp_mul(&gx, &gx, x);
        bls_fp_add(&gx, &gx, &G1_SSWU_B);
        bls_fp_sqrt_var(y, &gx);
    }
    if (bls_fp_sgn0(u) != bls_fp_sgn0(y)) bls_fp_neg(y, y);
}

/* Horner; `monic` adds a leading coefficient 1 above k[n-1]. */
static void poly_fp(bls_fp *r, const bls_fp *k, int n, int monic, const bls_fp *x) {
    bls_fp acc;
    int i = n - 1;
    if (monic) {
        bls_fp_one(&acc);
    } else {
        acc = k[i--];
    }
    for (; i >= 0; i--) {
        bls_fp_mul(&acc, &acc, x);
        bls_fp_add(&acc, &acc, &k[i]);
    }
    *r = acc;
}

/* Jacobian image without inversions: Z = xd yd, X = xn xd yd^2,
 * Y = y' yn xd^3 yd^2.  A zero denominator gives Z = 0: the identity. */
void bls_iso_map_g1_var(bls_g1 *r, const bls_fp *x, const bls_fp *y) {
    bls_fp xn, xd, yn, yd, t, yd2;
    poly_fp(&xn, ISO11_XNUM, 12, 0, x);
    poly_fp(&xd, ISO11_XDEN, 10, 1, x);
    poly_fp(&yn, ISO11_YNUM, 16, 0, x);
    poly_fp(&yd, ISO11_YDEN, 15, 1, x);
    if (bls_fp_is_zero(&xd) || bls_fp_is_zero(&yd)) {
        bls_g1_set_infinity(r);
        return;
    }
    bls_fp_mul(&r->z, &xd, &yd);
    bls_fp_sqr(&yd2, &yd);
    bls_fp_mul(&t, &xn, &xd);
    bls_fp_mul(&r->x, &t, &yd2);
    bls_fp_sqr(&t, &xd);
    bls_fp_mul(&t, &t, &xd);
    bls_fp_mul(&t, &t, &yd2);
    bls_fp_mul(&t, &t, &yn);
    bls_fp_mul(&r->y, &t, y);
}

void bls_map_to_g1_var(bls_g1 *r, const bls_fp *u) {
    bls_fp x, y;
    bls_sswu_g1_var(&x, &y, u);
    bls_iso_map_g1_var(r, &x, &y);
}

int bls_hash_to_g1_var(bls_g1 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len) {
    bls_fp u[2];
    bls_g1 q0, q1;
    if (bls_hash_to_fp(u, 2, msg, msg_len, dst, dst_len) != 0) return -1;
    bls_map_to_g1_var(&q0, &u[0]);
    bls_map_to_g1_var(&q1, &u[1]);
    bls_g1_add_var(&q0, &q0, &q1);
    bls_g1_clear_cofactor_var(r, &q0);
    return 0;
}

int bls_encode_to_g1_var(bls_g1 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len) {
    bls_fp u;
    bls_g1 q;
    if (bls_hash_to_fp(&u, 1, msg, msg_len, dst, dst_len) != 0) return -1;
    bls_map_to_g1_var(&q, &u);
    bls_g1_clear_cofactor_var(r, &q);
    return 0;
}

/* ------------------------------------------------------------ G2 map */

/* RFC 9380 §6.6.2, straight-line form with an explicit square test. */
void bls_sswu_g2_var(bls_fp2 *x, bls_fp2 *y, const bls_fp2 *u) {
    bls_fp2 u2, zu2, tv1, x1, gx, one;
    bls_fp2_one(&one);
    bls_fp2_sqr(&u2, u);
    bls_fp2_mul(&zu2, &G2_SSWU_Z, &u2);         /* Z u^2 */
    bls_fp2_sqr(&tv1, &zu2);
    bls_fp2_add(&tv1, &tv1, &zu2);              /* Z^2 u^4 + Z u^2 */
    if (bls_fp2_is_zero(&tv1)) {
        x1 = G2_B_OVER_ZA; /* exceptional case: B / (Z A) */
    } else {
        /* x1 = (-B / A) (1 + 1/tv1) */
        bls_fp2_inv_var(&tv1, &tv1);
        bls_fp2_add(&tv1, &tv1, &one);
        bls_fp2_mul(&x1, &G2_MB_OVER_A, &tv1);
    }
    /* gx1 = x1^3 + A x1 + B */
    bls_fp2_sqr(&gx, &x1);
    bls_fp2_add(&gx, &gx, &G2_SSWU_A);
    bls_fp2_mul(&gx, &gx, &x1);
    bls_fp2_add(&gx, &gx, &G2_SSWU_B);
    if (bls_fp2_sqrt_var(y, &gx)) {
        *x = x1;
    } else {
        /* x2 = Z u^2 x1, gx2 = x2^3 + A x2 + B (a square) */
        bls_fp2_mul(x, &zu2, &x1);
        bls_fp2_sqr(&gx, x);
        bls_fp2_add(&gx, &gx, &G2_SSWU_A);
        bls_fp2_mul(&gx, &gx, x);
        bls_fp2_add(&gx, &gx, &G2_SSWU_B);
        bls_fp2_sqrt_var(y, &gx);
    }
    if (bls_fp2_sgn0(u) != bls_fp2_sgn0(y)) bls_fp2_neg(y, y);
}

/* Horner; `monic` adds a leading coefficient 1 above k[n-1]. */
static void poly_fp2(bls_fp2 *r, const bls_fp2 *k, int n, int monic, const bls_fp2 *x) {
    bls_fp2 acc;
    int i = n - 1;
    if (monic) {
        bls_fp2_one(&acc);
    } else {
        acc = k[i--];
    }
    for (; i >= 0; i--) {
        bls_fp2_mul(&acc, &acc, x);
        bls_fp2_add(&acc, &acc, &k[i]);
    }
    *r = acc;
}

/* Jacobian image without inversions: Z = xd yd, X = xn xd yd^2,
 * Y = y' yn xd^3 yd^2.  A zero denominator gives Z = 0: the identity. */
void bls_iso_map_g2_var(bls_g2 *r, const bls_fp2 *x, const bls_fp2 *y) {
    bls_fp2 xn, xd, yn, yd, t, yd2;
    poly_fp2(&xn, ISO3_XNUM, 4, 0, x);
    poly_fp2(&xd, ISO3_XDEN, 2, 1, x);
    poly_fp2(&yn, ISO3_YNUM, 4, 0, x);
    poly_fp2(&yd, ISO3_YDEN, 3, 1, x);
    if (bls_fp2_is_zero(&xd) || bls_fp2_is_zero(&yd)) {
        bls_g2_set_infinity(r);
        return;
    }
    bls_fp2_mul(&r->z, &xd, &yd);
    bls_fp2_sqr(&yd2, &yd);
    bls_fp2_mul(&t, &xn, &xd);
    bls_fp2_mul(&r->x, &t, &yd2);
    bls_fp2_sqr(&t, &xd);
    bls_fp2_mul(&t, &t, &xd);
    bls_fp2_mul(&t, &t, &yd2);
    bls_fp2_mul(&t, &t, &yn);
    bls_fp2_mul(&r->y, &t, y);
}

void bls_map_to_g2_var(bls_g2 *r, const bls_fp2 *u) {
    bls_fp2 x, y;
    bls_sswu_g2_var(&x, &y, u);
    bls_iso_map_g2_var(r, &x, &y);
}

int bls_hash_to_g2_var(bls_g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len) {
    bls_fp2 u[2];
    bls_g2 q0, q1;
    if (bls_hash_to_fp2(u, 2, msg, msg_len, dst, dst_len) != 0) return -1;
    bls_map_to_g2_var(&q0, &u[0]);
    bls_map_to_g2_var(&q1, &u[1]);
    bls_g2_add_var(&q0, &q0, &q1);
    bls_g2_clear_cofactor_var(r, &q0);
    return 0;
}

int bls_encode_to_g2_var(bls_g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len) {
    bls_fp2 u;
    bls_g2 q;
    if (bls_hash_to_fp2(&u, 1, msg, msg_len, dst, dst_len) != 0) return -1;
    bls_map_to_g2_var(&q, &u);
    bls_g2_clear_cofactor_var(r, &q);
    return 0;
}
