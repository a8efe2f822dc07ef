# Usage: DATA_DIR=... python3 oracle-all.py 1  (bagged rating-weighted ALS, EASE, user-EASE and popularity blended; every blend scored on the TEST split: an upper bound)
import sys,gzip
from data import *; from models import *
fold=int(sys.argv[1])
allr=[tuple(map(int,l.split('\t'))) for l in gzip.open(D+'movielens-100k/u.data.gz','rt')]
test=set((u,i) for u,i,r,t in (tuple(map(int,l.split('\t'))) for l in gzip.open(D+f'movielens-100k/u{fold}.test.gz','rt')))
tr=[(u,i,r,t) for u,i,r,t in allr if (u,i) not in test]
train=[(u,i,t) for u,i,r,t in tr]
ui,ii=index(train); X=matrix(train,ui,ii)
R=np.zeros_like(X)
for u,i,r,t in tr: R[ui[u],ii[i]]=r
rel={}
for u,i in test: rel.setdefault(u,set()).add(i)
ev=lambda S: round(recall(S,X,rel,ui,ii),4)
def z(S):
    S=S.copy(); S[X>0]=np.nan
    m=np.nanmean(S,1,keepdims=True); s=np.nanstd(S,1,keepdims=True)+1e-12
    return np.nan_to_num((S-m)/s,nan=-1e9)
A=z(sum(als(R/3,64,0.162,1,10,True,seed=s) for s in range(5)))
E=z(ease(X,500)); U=z(user_ease(X,300))
P=z(np.tile(np.log1p((X>0).sum(0)),(X.shape[0],1)))
print('bagR',ev(A))
best=0
for wa in (0.5,0.6,0.7):
  for we in (0,0.2,0.3):
    for wu in (0,0.2,0.3):
      for wp in (0,0.1,0.2):
        r=ev(wa*A+we*E+wu*U+wp*P); best=max(best,r)
        print(wa,we,wu,wp,r,flush=True)
print('BEST',best)
