// The shipped catalogue (rubrics/doctypes.toml) as data: what its labels
// say about pages whose title OCR lost.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "stages/catalogue/catalogue.h"
#include "stages/checks/loader.h"

namespace pingcha {
namespace {

Catalogue Shipped() {
  const char* root = std::getenv("PINGCHA_SOURCE_DIR");
  auto cat = checks::LoadCatalogue(std::string(root ? root : ".") + "/rubrics/doctypes.toml");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  return cat.ok() ? std::move(cat).value() : Catalogue{};
}

Page PageOf(std::initializer_list<const char*> texts) {
  Page p;
  p.number = 1;
  double y = 0.05;
  for (const char* t : texts) {
    TextLine l;
    l.text = t;
    l.box = {0.1, y, 0.9, y + 0.02};
    y += 0.04;
    p.lines.push_back(l);
  }
  return p;
}

// A 准予行政许可决定书 whose letter-spaced title in a thin face OCR lost
// (seed 113): its operative sentence names it; an approval form's opinion
// (拟准予, 同意) does not.
TEST(CatalogueData, ALicenseDecisionIsKnownByItsOperativeSentence) {
  const Catalogue cat = Shipped();
  const Page decision = PageOf({"伊金霍洛旗城市管理综合执法局", "人作和了人二区于Et大生十于书", "伊城管许准[2021 5号",
                                "经审查，你（单位)的申请符合法定条件，根据《城市建筑垃圾管理规定》第七条的",
                                "规定，本机关决定准予行政许可。许可内容:城市建筑垃圾处置核准证;"});
  EXPECT_EQ(catalogue::TypeFromContent(decision, cat).value_or(""), "license_decision");
  const Page approval = PageOf({"审批意见", "经审查，申请材料齐全，符合法定条件，拟准予行政许可。", "负责人意见 同意。"});
  EXPECT_NE(catalogue::TypeFromContent(approval, cat).value_or(""), "license_decision");
}

}  // namespace
}  // namespace pingcha
